import { portError } from './errors.js';
import type { Storage, StorageCapabilities } from './storage.js';
import type { Transport, TransportCapabilities } from './transport.js';

type TransportMethodOf<C extends keyof TransportCapabilities> = C extends 'atomicWrite' ? 'write' : C;
type StorageMethodOf<C extends keyof StorageCapabilities> = C extends 'transactions' ? 'transaction' : C;

/**
 * A transport known to have capability `C`: its method is no longer optional.
 *
 * @example
 * const t: TransportWith<'rename'> = requireCapability(transport, 'rename');
 */
export type TransportWith<C extends keyof TransportCapabilities> = Transport &
  Required<Pick<Transport, TransportMethodOf<C>>>;
/**
 * A storage known to have capability `C`: its method is no longer optional.
 *
 * @example
 * const s: StorageWith<'claim'> = requireCapability(storage, 'claim');
 */
export type StorageWith<C extends keyof StorageCapabilities> = Storage & Required<Pick<Storage, StorageMethodOf<C>>>;

const transportMethods: Record<keyof TransportCapabilities, 'write' | 'rename' | 'remove'> = {
  write: 'write',
  atomicWrite: 'write',
  rename: 'rename',
  remove: 'remove',
};
const storageMethods: Record<keyof StorageCapabilities, 'transaction' | 'claim'> = {
  transactions: 'transaction',
  claim: 'claim',
};

function isTransport(port: Transport | Storage): port is Transport {
  return 'read' in port && typeof port.read === 'function';
}

/**
 * Returns the port typed with the optional method present, or throws a NordfilError with code
 * `capability_missing` when its capability flag is false or the method is absent. Jobs call it up front, so
 * a misconfigured read-only transport fails before any file is touched.
 *
 * @example
 * const outbox = requireCapability(transport, 'atomicWrite');
 * await outbox.write('out/LS20261123.txt', bytes); // no `!` needed
 * const queue = requireCapability(storage, 'claim');
 */
export function requireCapability<T extends Transport, C extends keyof TransportCapabilities>(
  transport: T,
  capability: C,
): T & TransportWith<C>;
/**
 * The storage form of {@link requireCapability}: `'transactions'` or `'claim'`.
 *
 * @example
 * const queue = requireCapability(storage, 'claim');
 * const item = await queue.claim('lindorff/outbox/', { owner: 'w1' });
 */
export function requireCapability<S extends Storage, C extends keyof StorageCapabilities>(
  storage: S,
  capability: C,
): S & StorageWith<C>;
export function requireCapability(port: Transport | Storage, capability: string): Transport | Storage {
  if (isTransport(port)) {
    const method = transportMethods[capability as keyof TransportCapabilities];
    if (port.capabilities[capability as keyof TransportCapabilities] !== true || typeof port[method] !== 'function') {
      throw portError(
        'capability_missing',
        `transport ${JSON.stringify(port.name)} lacks the "${capability}" capability that this job needs`,
        { field: capability },
      );
    }
    return port;
  }
  const method = storageMethods[capability as keyof StorageCapabilities];
  if (port.capabilities[capability as keyof StorageCapabilities] !== true || typeof port[method] !== 'function') {
    throw portError('capability_missing', `storage lacks the "${capability}" capability that this job needs`, {
      field: capability,
    });
  }
  return port;
}
