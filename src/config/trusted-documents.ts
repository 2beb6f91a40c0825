// The trusted-documents settings: the manifest of persisted documents TRUSTED_DOCUMENTS_FILE names, read and
// checked at start-up, and whether the policy (only those documents run) is enforced.
import { parsePersistedDocumentManifest } from '../graphql/persisted-document-manifest';
import type { Env } from './env-schema';
import type { ReadFile, TrustedDocumentsSettings } from './types';

/** The manifest named by TRUSTED_DOCUMENTS_FILE, its ids checked against its documents; undefined without one. */
export function trustedDocumentsSettings(
  e: Env,
  isProduction: boolean,
  readFile: ReadFile,
  report: (problem: string) => void,
): TrustedDocumentsSettings | undefined {
  if (e.TRUSTED_DOCUMENTS_FILE === undefined) return undefined;
  let text: string;
  try {
    text = readFile(e.TRUSTED_DOCUMENTS_FILE);
  } catch (err) {
    report(
      `TRUSTED_DOCUMENTS_FILE: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
    return undefined;
  }
  const manifest = parsePersistedDocumentManifest(text);
  if (!manifest.ok) {
    report(`TRUSTED_DOCUMENTS_FILE: ${manifest.problem}`);
    return undefined;
  }
  return {
    documents: manifest.documents,
    enforced: isProduction && !e.TRUSTED_DOCUMENTS_ALLOW_ARBITRARY,
  };
}
