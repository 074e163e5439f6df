/** `text` cut to `max` characters with an ellipsis: the wire's fields (`resultMessage`, `orderDescription`) have limits. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
