/**
 * `CallSiteReader`: where in the application a span with a diagnosis was
 * started, read from a stack captured for that finding only (never on the hot
 * path): the first frame of the application's own code (outside
 * node_modules, Node's internals, OpenTelemetry and this package), the
 * library that called it, the library it was inside, and whether an
 * EventEmitter's `emit` called it.
 */
import { basename, dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a stack says about where a span started. */
export interface CallSite {
  /** The first application frame, `file:line:col` (relative to the working directory when inside it). */
  readonly appFrame: string | undefined;
  /** The package whose code called `appFrame` (the one that ran the application's callback). */
  readonly callerLibrary: string | undefined;
  /** The package between the span's start and `appFrame` (the one the application called, or, without an application frame, the innermost one). */
  readonly innerLibrary: string | undefined;
  /** Whether `appFrame` was called by an EventEmitter's `emit` (a listener). */
  readonly fromEmitter: boolean;
}

type FrameKind = 'internal' | 'own' | 'telemetry' | 'library' | 'app';

interface Frame {
  readonly kind: FrameKind;
  readonly text: string;
  readonly location: string;
  /** The absolute file (or Node's module name). */
  readonly file: string;
  readonly pkg: string | undefined;
}

const FRAME_DEPTH = 64;
const LOCATION = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/** The package a file belongs to, from its last `node_modules` segment. */
function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) return undefined;
  const parts = file.slice(at + 14).split(sep);
  return parts[0].startsWith('@') && parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Reads call sites; knows where its own package's code lives, to skip it. */
export class CallSiteReader {
  readonly #ownRoot: string | undefined;
  readonly #cwd = process.cwd();

  constructor() {
    // Our own code is wherever this constructor runs from: src/ or dist/cjs/ (one folder
    // per concept, so one level up from diagnose/), or the ESM bundle's folder.
    const file = this.#frames(new Error().stack ?? '')[0]?.file;
    if (file !== undefined) {
      const dir = dirname(file);
      this.#ownRoot = (basename(dir) === 'diagnose' ? dirname(dir) : dir) + sep;
    }
  }

  /** The call site of the code running now (captures a stack: for findings only). */
  read(): CallSite {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = FRAME_DEPTH;
    const holder: { stack?: string } = {};
    try {
      Error.captureStackTrace(holder, this.read);
    } finally {
      Error.stackTraceLimit = limit;
    }
    return this.#callSite(this.#frames(holder.stack ?? ''));
  }

  #callSite(frames: readonly Frame[]): CallSite {
    const app = frames.findIndex((f) => f.kind === 'app');
    const inner = frames.slice(0, app < 0 ? frames.length : app).find((f) => f.kind === 'library')?.pkg;
    if (app < 0) return { appFrame: undefined, callerLibrary: undefined, innerLibrary: inner, fromEmitter: false };
    let callerLibrary: string | undefined;
    let fromEmitter = false;
    for (const frame of frames.slice(app + 1)) {
      if (frame.kind === 'internal' || frame.kind === 'telemetry' || frame.kind === 'own') {
        if (/\bemit\b/.test(frame.text) && frame.location.startsWith('node:events')) fromEmitter = true;
        continue;
      }
      if (frame.kind === 'library') callerLibrary = frame.pkg;
      break;
    }
    return { appFrame: frames[app].location, callerLibrary, innerLibrary: inner, fromEmitter };
  }

  #frames(stack: string): Frame[] {
    const frames: Frame[] = [];
    for (const line of stack.split('\n')) {
      const text = line.trim();
      if (!text.startsWith('at ')) continue;
      const match = LOCATION.exec(text);
      if (match === null) continue;
      const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
      frames.push({ kind: this.#kind(file), text, location: this.#shown(file, match[2], match[3]), file, pkg: packageOf(file) });
    }
    return frames;
  }

  #kind(file: string): FrameKind {
    if (file.startsWith('node:') || file.startsWith('internal/') || !file.includes(sep)) return 'internal';
    if (this.#ownRoot !== undefined && file.startsWith(this.#ownRoot)) return 'own';
    const pkg = packageOf(file);
    if (pkg === undefined) return 'app';
    return pkg.startsWith('@opentelemetry/') || pkg === 'otel-async-context' ? 'telemetry' : 'library';
  }

  #shown(file: string, line: string, column: string): string {
    if (!file.includes(sep)) return `${file}:${line}:${column}`;
    const rel = relative(this.#cwd, file);
    return `${rel.startsWith('..') ? file : rel}:${line}:${column}`;
  }
}
