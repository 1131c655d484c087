// The page side of the VS Code webview API, typed: `Out` is what the page posts to the extension,
// `State` what VS Code keeps for a hidden or reloaded panel, read back through the page's own
// `restore` (field by field, so a stale or foreign state falls back to defaults).

interface VsCodeApi<Out, State> {
  postMessage(message: Out): void;
  getState(): unknown;
  setState(state: State): void;
}

declare function acquireVsCodeApi<Out, State>(): VsCodeApi<Out, State>;

export interface Host<Out, State> {
  post(message: Out): void;
  state: State;
  save(): void;
}

export function connectHost<Out, State>(restore: (saved: unknown) => State): Host<Out, State> {
  const api = acquireVsCodeApi<Out, State>();
  const host: Host<Out, State> = {
    post: (message) => api.postMessage(message),
    state: restore(api.getState()),
    save: () => api.setState(host.state),
  };
  return host;
}
