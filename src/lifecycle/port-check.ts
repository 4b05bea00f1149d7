import { createServer } from 'node:net';
import { errorCode, StartupFailure } from './startup-failure';

/**
 * Fails before anything is written or migrated when the service could not listen on `host:port`
 * (the port is taken, privileged, or the address is not this machine's). It binds and releases
 * the port; a process that takes it in between still fails at `listen`, with the same message.
 */
export async function checkPortFree(host: string, port: number, settings: ListenSettings = API_LISTEN): Promise<void> {
  if (port === 0) return; // any free port
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenFailure(error, host, port, settings)));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** The names of the variables that set a listener's port and address, for the message. */
export interface ListenSettings {
  port: string;
  host: string;
}
export const API_LISTEN: ListenSettings = { port: 'PORT', host: 'HOST' };
export const METRICS_LISTEN: ListenSettings = { port: 'METRICS_PORT', host: 'METRICS_HOST' };

/** `listen` failed: which setting to change; an error that names none is returned as it is. */
export function listenFailure(error: unknown, host: string, port: number, settings: ListenSettings = API_LISTEN): StartupFailure | Error {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new StartupFailure([
        `${settings.port}: port ${port} on ${host} is already in use.`,
        `Stop the process that listens there, or set ${settings.port} to a free port.`,
      ]);
    case 'EACCES':
      return new StartupFailure([
        `${settings.port}: no permission to listen on port ${port}.`,
        `Ports below 1024 need privileges; set ${settings.port} to 1024 or above.`,
      ]);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupFailure([
        `${settings.host}: cannot listen on "${host}": it is not an address of this machine.`,
        `Set ${settings.host} to 0.0.0.0 (all addresses), 127.0.0.1 or one of its addresses.`,
      ]);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
