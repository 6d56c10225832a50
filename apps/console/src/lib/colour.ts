/**
 * A CSS hex colour with transparency, for canvas fills: the charts read their colours from the stylesheet's
 * variables (hex), and a canvas cannot mix them with `color-mix()`. Anything else is returned as it is, opaque.
 */
export function withAlpha(colour: string, alpha: number): string {
  const hex = colour.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  if (hex === undefined) return colour;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex;
  const [red, green, blue] = [0, 2, 4].map((start) => Number.parseInt(full.slice(start, start + 2), 16));
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}
