// The store contract is what another store is written against (as express-rate-limit's `Store`): every
// interface and every member of it says what it promises, in JSDoc that an editor shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CONTRACT = join(__dirname, '../../../../src/limits/store/contract.ts');

function undocumented(): string[] {
  const source = ts.createSourceFile(CONTRACT, readFileSync(CONTRACT, 'utf8'), ts.ScriptTarget.Latest, true);
  const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
  const missing: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) continue;
    const name = statement.name.text;
    if (!hasDoc(statement)) missing.push(name);
    if (!ts.isInterfaceDeclaration(statement)) continue;
    for (const member of statement.members)
      if (!hasDoc(member)) missing.push(`${name}.${member.name?.getText(source) ?? '?'}`);
  }
  return missing;
}

describe('the limiter store contract', () => {
  it('documents every type and every member with JSDoc', () => {
    expect(undocumented()).toEqual([]);
  });
});
