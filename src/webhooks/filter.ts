/**
 * An endpoint's `events` filter against an event type: an exact name, `family.*` (the type's part
 * before its first dot), or `*`. A wildcard also takes types the catalog adds later, which is what
 * someone who subscribed to `message.*` asked for.
 */
export function filterMatches(filter: readonly string[], type: string): boolean {
  const family = type.slice(0, type.indexOf("."));
  return filter.some((entry) => entry === "*" || entry === type || (entry.endsWith(".*") && entry.slice(0, -2) === family));
}
