/** A tensor shape with the batch dimension first; null is "any size" (Keras' None). */
export type Shape = (number | null)[];

export function formatShape(shape: Shape): string {
  return '(' + shape.map((d) => (d === null ? 'batch' : String(d))).join(', ') + ')';
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
