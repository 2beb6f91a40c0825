// What an entry of the memory store costs in V8's heap (64-bit, as Node ships it), so that the store can be
// bounded in bytes rather than in entries. Set to what Node 24 was measured to take per entry when the Map's
// table has just doubled (half empty), its worst case: typically an entry takes 10-15% less. The figures,
// and how to measure them again, are in docs/benchmark.md.
//
// Keys and members are kept as flat copies (flatCopy): a key made by `hash.slice(0, 32)` or by a template
// literal is a view that keeps its whole parent string alive (the 43-character digest, the pieces of the
// concatenation), which would cost twice what the key's own length says.

/** A sequential string's header (map, hash, length); its characters follow, rounded up to 8 bytes. */
const STRING_HEADER = 16;
/** One Map entry (key, value, chain: 24 bytes) and its bucket, when the table is half empty. */
const MAP_ENTRY = 48;
/** A counter's window: an object of three fields (key, count, window end) and its end's boxed double. */
const WINDOW = 72;
/** A link: an object of two fields (members, expiry), its expiry's boxed double, its members' array. */
const LINK = 112;
/** One member's slot in a link's array. */
const MEMBER_SLOT = 8;

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The heap a flat string takes: one byte a character, two when any is outside Latin-1. */
export function stringBytes(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the Latin-1 range is what V8 keeps one byte a character
  const perChar = /[^\u0000-\u00ff]/.test(text) ? 2 : 1;
  return align8(STRING_HEADER + text.length * perChar);
}

/** What one counter costs: its key, its Map entry and its window. */
export function counterBytes(key: string): number {
  return stringBytes(key) + MAP_ENTRY + WINDOW;
}

/** What one link costs: its key, its Map entry, the link and its members. */
export function linkBytes(key: string, members: readonly string[]): number {
  return stringBytes(key) + MAP_ENTRY + LINK + membersBytes(members);
}

/** What members add to a link. */
export function membersBytes(members: readonly string[]): number {
  let bytes = 0;
  for (const member of members) bytes += MEMBER_SLOT + stringBytes(member);
  return bytes;
}

/**
 * A copy of `text` that holds nothing but its own characters. A JSON round trip is lossless for every string
 * (lone surrogates included) and always builds a new sequential string; it is also the quickest way measured.
 */
export function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
