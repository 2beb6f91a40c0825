// A secret given inline or in a file: the client secret and the challenge's key are read the same way.
import type { ReadFile } from './types';

/** A secret file's text as the secret: only the newline an editor or `echo` leaves is dropped. */
export function secretFileValue(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * A secret given inline or in a file (container secrets), the file's one trailing newline dropped, with the
 * variable it came from; undefined when neither is set, or when the pair is already reported.
 */
export function readSecretVariable(
  names: { inline: string; file: string },
  inline: string | undefined,
  file: string | undefined,
  readFile: ReadFile,
  report: (problem: string) => void,
): { value: string; from: string } | undefined {
  if (inline && file) {
    report(`${names.file}: set either it or ${names.inline}, not both`);
    return undefined;
  }
  if (file) {
    try {
      // Other whitespace than that newline means a mangled secret, refused by the caller.
      return { value: secretFileValue(readFile(file)), from: names.file };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      report(`${names.file}: cannot read the file (${code})`);
      return undefined;
    }
  }
  return inline === undefined ? undefined : { value: inline, from: names.inline };
}
