/** `joinWith list "   "`: the items joined by a literal separator (hashtags on a card line; `join` writes "A, B dan C"). */
export function joinWith(items: readonly unknown[], separator: string): string {
  return items.map((item) => (item === null || item === undefined ? '' : String(item))).join(separator);
}
