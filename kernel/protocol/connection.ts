/** Connection files: what Jupyter hands a kernel to say where to listen and how to sign. */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  kernel_name?: string;
}

export const CHANNELS = ['shell', 'iopub', 'stdin', 'control', 'hb'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Reads and validates a connection file, naming the offending field on error. */
export function readConnectionFile(path: string): ConnectionInfo {
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`connection file ${path}: ${(e as Error).message}`);
  }
  const info: ConnectionInfo = {
    transport: raw.transport ?? 'tcp',
    ip: raw.ip ?? '127.0.0.1',
    key: raw.key ?? '',
    signature_scheme: raw.signature_scheme ?? 'hmac-sha256',
    shell_port: raw.shell_port,
    iopub_port: raw.iopub_port,
    stdin_port: raw.stdin_port,
    control_port: raw.control_port,
    hb_port: raw.hb_port,
    kernel_name: raw.kernel_name,
  };
  if (info.transport !== 'tcp' && info.transport !== 'ipc') {
    throw new Error(`connection file ${path}: transport '${info.transport}' is not supported; expected 'tcp' or 'ipc'`);
  }
  for (const ch of CHANNELS) {
    const port = (info as any)[`${ch}_port`];
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`connection file ${path}: ${ch}_port must be an integer port, got ${JSON.stringify(port)}`);
    }
  }
  if (typeof info.key !== 'string') throw new Error(`connection file ${path}: key must be a string`);
  return info;
}

/** The zeromq endpoint of one channel. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === 'tcp' ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

/** A TCP port free on `ip` right now (the OS picks it). */
export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, ip, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A new connection description with free TCP ports on `ip` and a random key. */
export async function newConnectionInfo(ip = '127.0.0.1'): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < CHANNELS.length) ports.add(await freePort(ip));
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
  return {
    transport: 'tcp',
    ip,
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    shell_port,
    iopub_port,
    stdin_port,
    control_port,
    hb_port,
    kernel_name: 'optilab',
  };
}

/** Writes a connection file readable by the user only (it holds the signing key). */
export function writeConnectionFile(path: string, info: ConnectionInfo): void {
  writeFileSync(path, JSON.stringify(info, null, 2), { mode: 0o600 });
}
