// Reading a GraphQL answer the way the tests compare them: its first error, and that error's code (or OK).

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
type Answer = { body: any };

/** The first error of an answer, if any. */
export const errorOf = (res: Answer) => res.body?.errors?.[0];

/** The `extensions.code` of an answer's first error, or `OK` when it has none. */
export const codeOf = (res: Answer): string => errorOf(res)?.extensions?.code ?? 'OK';

/** The same for a body already parsed (a Lambda handler's result). */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
export const codeOfBody = (body: any): string => codeOf({ body });
