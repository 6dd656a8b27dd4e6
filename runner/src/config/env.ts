// ${VAR} and ${VAR:-default} substitution, applied to the scalar values of the parsed YAML document.
// Substituting into the raw text let a value with a newline, `: `, `#` or `{` add keys, comment out
// the rest of a line or turn a string into a mapping; here a value can only ever be one scalar.
// Unquoted, the substituted text is typed as YAML types that literal (`scale: ${SCALE}` with
// SCALE=0.5 is the number 0.5); quoted or block scalars stay strings. Mapping keys and comments are
// never substituted.
import { isScalar, visit, type Document, type ScalarTag } from 'yaml';
import { BadInputError } from '../util/errors.js';

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function substituteEnv(text: string, env: NodeJS.ProcessEnv, file: string): string {
  return text.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new BadInputError(`environment variable ${name} is not set and has no default (write \${${name}:-value})`, file);
  });
}

/** Substitutes into every scalar value of `doc` in place. */
export function substituteEnvInDocument(doc: Document, env: NodeJS.ProcessEnv, file: string): void {
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const text = substituteEnv(node.value, env, file);
      node.value = node.type === 'PLAIN' ? typedLikeYaml(doc, text) : text;
    },
  });
}

/** What the document's schema (YAML 1.2 core) makes of `text` written as a plain scalar. */
function typedLikeYaml(doc: Document, text: string): unknown {
  // Only scalar tags carry a `test`; the first default one matching the text is YAML's own choice.
  const tag = doc.schema.tags.find((t): t is ScalarTag => t.default === true && t.test !== undefined && t.test.test(text));
  if (!tag) return text;
  // Some tags (floats) answer with a Scalar node that keeps the source format: its value is the number.
  const resolved = tag.resolve(text, () => {}, {});
  return isScalar(resolved) ? resolved.value : resolved;
}
