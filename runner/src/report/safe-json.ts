// JSON that can sit inside an inline <script> element. JSON.stringify leaves "</script", "<!--"
// and U+2028/U+2029 as they are; any of them could end the element early or break the parse, and a
// hostile string in the document (a deployment name, an error message) must stay data.
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Third-party script text inlined verbatim; only a literal "</script" could break out of it. */
export function scriptText(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
