/** One `Authentication-Results` header (RFC 8601), read leniently: comments dropped. */
export interface AuthenticationResults {
  authservId: string;
  results: { method: string; result: string; props: Record<string, string> }[];
}

const MAX_RESULTS = 32;

export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const text = stripComments(value.replace(/\r?\n[ \t]+/g, ' '));
  const [head, ...rest] = text.split(';');
  const authservId = (head ?? '').trim().split(/\s+/)[0] ?? '';
  if (authservId === '') return null;
  const results: AuthenticationResults['results'] = [];
  for (const clause of rest.slice(0, MAX_RESULTS)) {
    const words = clause.trim().split(/\s+/).filter(Boolean);
    const first = words[0]?.match(/^([a-z0-9_-]+)(?:\/[0-9]+)?=([a-z0-9_-]+)$/i);
    if (!first) continue;
    const props: Record<string, string> = {};
    for (const word of words.slice(1)) {
      const eq = word.indexOf('=');
      if (eq > 0) props[word.slice(0, eq).toLowerCase()] = word.slice(eq + 1).replace(/^"|"$/g, '');
    }
    results.push({ method: first[1]!.toLowerCase(), result: first[2]!.toLowerCase(), props });
  }
  return { authservId, results };
}

function stripComments(text: string): string {
  let depth = 0;
  let out = '';
  for (const char of text) {
    if (char === '(') depth++;
    else if (char === ')' && depth > 0) depth--;
    else if (depth === 0) out += char;
  }
  return out;
}
