// ${VAR} and ${VAR:-default} substitution, applied to the raw YAML text before parsing so that
// numbers and booleans coming from the environment are typed by YAML like any literal.
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
