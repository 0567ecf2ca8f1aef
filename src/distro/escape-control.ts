/**
 * Makes text from outside (span names, attributes, exception messages, a
 * collector's answer) safe to print on a terminal: every control character is
 * replaced by a visible escape, so an ESC sequence cannot drive the terminal
 * and a CR or LF cannot forge a line of the tree or of a diagnostic.
 */

/**
 * C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and
 * the bidirectional overrides and isolates (which reorder what a reader sees).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Returns `text` with control characters written as escapes: ESC as `\x1b`,
 * LF as `\n`, CR as `\r`, TAB as `\t`, other C0/C1 controls and DEL as `\xHH`,
 * U+2028/U+2029 and bidirectional controls as `\uHHHH`. Text without them is
 * returned as is (the common case costs one regular-expression test).
 */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, visible) : text;
}

/** As {@link escapeControl}, but keeps line feeds: for multi-line diagnostics (stack traces). */
export function escapeControlKeepLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}
