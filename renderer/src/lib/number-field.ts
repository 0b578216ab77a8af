/**
 * Reads a number input on change. Out of range or not a number: the field is marked invalid with
 * a tooltip saying what it expects, and null is returned so the caller keeps the saved value.
 */
export function readNumber(el: HTMLInputElement, min: number, max: number, int: boolean): number | null {
  const v = Number(el.value);
  const ok = el.value.trim() !== '' && Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v));
  el.classList.toggle('invalid', !ok);
  el.title = ok ? '' : `Expected ${int ? 'a whole number' : 'a number'} from ${min} to ${max}`;
  return ok ? v : null;
}
