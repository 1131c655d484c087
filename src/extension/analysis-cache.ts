// One analysis per open model document and version. Edits are re-analyzed after a short pause
// (debounce), so typing never waits for the analyzer; providers that need the current version now
// (hover, completion, code actions) get it synchronously. Every fresh analysis is announced on
// `onDidAnalyze`, which the diagnostics, inline hints and tests listen to.

import * as vscode from 'vscode';
import type { AnalysisResult } from '../core';
import { analyzeSource, type TypeScriptModule } from '../core';
import { analysisOptions, readSettings } from './settings';

/**
 * The TypeScript compiler, loaded on the first `.ts`/`.js` model only (YAML users never pay for
 * it). The bundle keeps `typescript` external: in development it comes from node_modules; the
 * packaged extension ships it as dist/typescript.js (`npm run package`).
 */
function loadTypeScript(): TypeScriptModule {
  try {
    return require('typescript') as TypeScriptModule;
  } catch {
    // A computed path, so the bundler leaves this require alone.
    const shipped = [__dirname, 'typescript.js'].join('/');
    return require(shipped) as TypeScriptModule;
  }
}

/** Analysis never throws into VS Code: an internal failure becomes one diagnostic. */
function analyzeSafely(document: vscode.TextDocument): AnalysisResult {
  try {
    return analyzeSource(document.uri.path, document.getText(), loadTypeScript, analysisOptions(readSettings(document.uri)));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'convlens.internal',
          message: `ConvLens could not analyze this file: ${message}`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  }
}

export interface AnalysisEvent {
  uri: vscode.Uri;
  /** The document version this analysis is for. */
  version: number;
  result: AnalysisResult;
  /** Time the analyzer took, in milliseconds. */
  durationMs: number;
}

interface Entry {
  event: AnalysisEvent;
  optionsKey: string;
  /** The last analysis that produced a model, kept while the text is mid-edit and unparsable. */
  lastWithModel?: AnalysisEvent;
}

/** Pause after the last keystroke before re-analyzing. */
export const DEBOUNCE_MS = 150;

export class AnalysisCache implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<AnalysisEvent>();
  readonly onDidAnalyze = this.emitter.event;

  constructor(private readonly debounceMs = DEBOUNCE_MS) {}

  /** The analysis of the document's current version, computed now if needed. */
  get(document: vscode.TextDocument): AnalysisEvent {
    return this.upToDate(document) ?? this.analyzeNow(document);
  }

  /**
   * The analysis of the document's current version for a provider (hover, inline hints...): when
   * an edit is waiting for its debounced analysis, waits for it rather than analyzing on every
   * keystroke; otherwise analyzes now.
   */
  current(document: vscode.TextDocument): Promise<AnalysisEvent> {
    const fresh = this.upToDate(document);
    if (fresh) return Promise.resolve(fresh);
    if (this.pending.has(document.uri.toString())) return this.whenAnalyzed(document.uri, document.version);
    return Promise.resolve(this.analyzeNow(document));
  }

  private upToDate(document: vscode.TextDocument): AnalysisEvent | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry && entry.event.version === document.version && entry.optionsKey === optionsKey(document) ? entry.event : undefined;
  }

  /** The last analysis, whatever its version (for display while an edit waits for its turn). */
  latest(uri: vscode.Uri): AnalysisEvent | undefined {
    return this.entries.get(uri.toString())?.event;
  }

  /** The last analysis of `uri` that parsed into a model, if any. */
  lastWithModel(uri: vscode.Uri): AnalysisEvent | undefined {
    return this.entries.get(uri.toString())?.lastWithModel;
  }

  /** Re-analyzes after the debounce delay; a newer call for the same document replaces it. */
  schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const timer = this.pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!document.isClosed) this.get(document);
      }, this.debounceMs),
    );
  }

  analyzeNow(document: vscode.TextDocument): AnalysisEvent {
    const key = document.uri.toString();
    const timer = this.pending.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.pending.delete(key);
    }
    const started = performance.now();
    const result = analyzeSafely(document);
    const event: AnalysisEvent = { uri: document.uri, version: document.version, result, durationMs: performance.now() - started };
    const lastWithModel = result.model ? event : this.entries.get(key)?.lastWithModel;
    this.entries.set(key, { event, optionsKey: optionsKey(document), lastWithModel });
    this.emitter.fire(event);
    return event;
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.delete(key);
    this.entries.delete(key);
  }

  /**
   * Resolves with the first analysis of `uri` at `version` or later (default: the open document's
   * current version): after it, diagnostics and hints for that version are published.
   */
  whenAnalyzed(uri: vscode.Uri, version?: number): Promise<AnalysisEvent> {
    const target = version ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.version ?? 0;
    const current = this.entries.get(uri.toString())?.event;
    if (current && current.version >= target) return Promise.resolve(current);
    return new Promise((resolve) => {
      const listener = this.onDidAnalyze((event) => {
        if (event.uri.toString() === uri.toString() && event.version >= target) {
          listener.dispose();
          resolve(event);
        }
      });
    });
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.entries.clear();
    this.emitter.dispose();
  }
}

/** Settings that change analysis results; a change invalidates the cached analysis. */
function optionsKey(document: vscode.TextDocument): string {
  const options = analysisOptions(readSettings(document.uri));
  return `${options.batchSize ?? ''}/${options.bytesPerElement ?? ''}`;
}
