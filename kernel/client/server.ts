/**
 * A kernel on a running Jupyter server (`jupyter server`, `jupyter lab`, notebook 7),
 * through @jupyterlab/services: a session is started for the notebook's path, so the
 * kernel runs in that folder under the server's root, as it would in JupyterLab.
 *
 *   const k = await ServerKernel.start({ url: 'http://127.0.0.1:8888', token }, 'notebooks/tour.ipynb');
 *   const { reply } = await k.execute('1 + 1', { onOutput: (m) => ... });
 *   await k.shutdown();
 */
import { basename } from 'node:path';
import type { KernelMessage, Session, SessionManager, KernelManager } from '@jupyterlab/services';
import { KERNEL_NAME } from '../kernelspec/install.js';
import { KernelDiedError, TimeoutError } from './index.js';

export interface ServerOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8888/ (a path prefix such as /user/me/ is kept). */
  url: string;
  token?: string;
  /** The kernelspec to start (default: optilab). */
  kernelName?: string;
  startupTimeoutMs?: number;
}

type Outputs = { allowStdin?: boolean; stopOnError?: boolean; onOutput?: (m: KernelMessage.IIOPubMessage) => void };

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};

/** A message for a failed request that says which server and what it answered. */
function serverError(url: string, e: unknown): Error {
  const err = e as { message?: string; response?: { status?: number } };
  const status = err.response?.status;
  if (status === 403 || status === 401) return new Error(`the Jupyter server at ${url} refused the token (HTTP ${status}); pass the server's token with --token`);
  return new Error(`the Jupyter server at ${url} cannot be used: ${err.message ?? String(e)}`);
}

export class ServerKernel {
  private died: KernelDiedError | undefined;
  private readonly pending = new Set<(e: Error) => void>();

  private constructor(
    private readonly session: Session.ISessionConnection,
    private readonly sessions: SessionManager,
    private readonly kernels: KernelManager,
  ) {
    session.kernel!.statusChanged.connect((_, status) => {
      // The server restarts a kernel that died (autorestarting): its state is gone, so the run cannot go on.
      if (status === 'dead' || status === 'autorestarting') this.fail(new KernelDiedError(`the kernel on the server died (status: ${status})`));
    });
  }

  /** Starts a kernel for the notebook at `path` (relative to the server's root) and waits until it answers. */
  static async start(server: ServerOptions, path: string): Promise<ServerKernel> {
    const { ServerConnection, KernelManager, SessionManager, KernelSpecAPI } = await import('@jupyterlab/services');
    const baseUrl = server.url.endsWith('/') ? server.url : `${server.url}/`;
    const serverSettings = ServerConnection.makeSettings({ baseUrl, token: server.token ?? '', appendToken: true });
    const name = server.kernelName ?? KERNEL_NAME;
    const timeout = server.startupTimeoutMs ?? 60_000;
    const specs = await withTimeout(KernelSpecAPI.getSpecs(serverSettings), timeout, `${baseUrl}api/kernelspecs`).catch((e) => {
      throw serverError(baseUrl, e);
    });
    if (!specs.kernelspecs[name]) {
      throw new Error(`the Jupyter server at ${baseUrl} has no '${name}' kernel (it has: ${Object.keys(specs.kernelspecs).join(', ') || 'none'}); install it where the server runs: npx optilab kernel install`);
    }
    const kernels = new KernelManager({ serverSettings });
    const sessions = new SessionManager({ kernelManager: kernels, serverSettings });
    let session: Session.ISessionConnection | undefined;
    try {
      await withTimeout(sessions.ready, timeout, `${baseUrl}api/sessions`);
      session = await withTimeout(sessions.startNew({ path, type: 'notebook', name: basename(path), kernel: { name } }), timeout, 'starting a kernel');
      if (!session.kernel) throw new Error(`the server started a session for ${path} without a kernel`);
      await withTimeout(session.kernel.info, timeout, 'kernel_info');
    } catch (e) {
      await session?.shutdown().catch(() => undefined);
      sessions.dispose();
      kernels.dispose();
      throw e instanceof TimeoutError ? e : serverError(baseUrl, e);
    }
    return new ServerKernel(session, sessions, kernels);
  }

  private fail(e: KernelDiedError): void {
    this.died ??= e;
    for (const reject of this.pending) reject(e);
    this.pending.clear();
  }

  /** Resolves with the execute_reply once the kernel is idle again; `onOutput` gets each IOPub message but status. */
  execute(code: string, o: Outputs = {}): Promise<{ reply: KernelMessage.IExecuteReplyMsg }> {
    if (this.died) return Promise.reject(this.died);
    const future = this.session.kernel!.requestExecute({
      code,
      silent: false,
      store_history: true,
      allow_stdin: o.allowStdin ?? false,
      stop_on_error: o.stopOnError ?? true,
    });
    future.onIOPub = (msg) => {
      if (msg.header.msg_type !== 'status') o.onOutput?.(msg);
    };
    return new Promise((resolve, reject) => {
      this.pending.add(reject);
      future.done.then(
        (reply) => resolve({ reply }),
        (e) => reject(this.died ?? e),
      ).finally(() => this.pending.delete(reject));
    });
  }

  /** Asks the server to interrupt the kernel (the kernelspec's interrupt mode decides how). */
  interrupt(timeoutMs = 10_000): Promise<void> {
    return withTimeout(this.session.kernel!.interrupt(), timeoutMs, 'interrupt');
  }

  /** Has the server shut the kernel down without waiting for it. */
  kill(): void {
    this.fail(new KernelDiedError('the kernel on the server was shut down'));
    void this.shutdown();
  }

  private closing: Promise<void> | undefined;

  /** Shuts the kernel and its session down and closes the connection. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await withTimeout(this.session.shutdown(), 30_000, 'shutting the session down');
      } finally {
        this.session.dispose();
        this.sessions.dispose();
        this.kernels.dispose();
      }
    })();
    return this.closing;
  }
}
