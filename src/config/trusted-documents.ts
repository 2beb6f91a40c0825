// The trusted documents' settings: the manifest TRUSTED_DOCUMENTS_FILE names, read and checked at start-up.
import { parseTrustedDocumentManifest } from '../graphql/trusted-document-manifest';
import type { Env } from './env-schema';
import type { ReadFile, TrustedDocumentsSettings } from './types';

/** The manifest named by TRUSTED_DOCUMENTS_FILE, its ids checked against its documents. */
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
  const manifest = parseTrustedDocumentManifest(text);
  if (!manifest.ok) {
    report(`TRUSTED_DOCUMENTS_FILE: ${manifest.problem}`);
    return undefined;
  }
  return {
    documents: manifest.documents,
    requireDocumentId: isProduction && !e.TRUSTED_DOCUMENTS_ALLOW_ARBITRARY,
  };
}
