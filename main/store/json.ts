/**
 * JSON for the store's text columns. Plain JSON turns NaN and Infinity into null, and a
 * diverging run does log a NaN loss; these keep such numbers as numbers.
 */
const TAG = '$nonFinite';

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [TAG]: String(v) } : v));
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === TAG) return Number((v as Record<string, unknown>)[TAG]);
    }
    return v;
  }) as T;
}

export function fromJsonOrNull<T>(text: string | null | undefined): T | null {
  return text == null ? null : fromJson<T>(text);
}
