/**
 * Borrowers kept in the jobs' storage, for the SPAR import run from the command line: each borrower is a JSON
 * value under `patron/borrowers/<id>`, with an index `patron/pins/<12 digits>` → id for every current and former
 * identity number. A library system plugs in its own {@link BorrowerRepository}; this one serves the demo and small
 * installations that keep borrowers nowhere else.
 */
import type { Borrower } from '@nordfil/patron';
import { getJson, putJson, type StorageOps } from '@nordfil/ports';
import type { BorrowerRepository } from '@nordfil/spar';

const BORROWERS = 'patron/borrowers/';
const PINS = 'patron/pins/';

/**
 * A {@link BorrowerRepository} over a storage, with `all()` and `seed()` for the CLI.
 *
 * @example
 * const repo = storageBorrowerRepository(storage);
 * await repo.seed(borrowers); // only those not stored yet
 * await runSparImport({ …, borrowers: repo });
 */
export interface StorageBorrowerRepository extends BorrowerRepository {
  /** Every stored borrower, by id. */
  all(): Promise<Borrower[]>;
  get(id: string): Promise<Borrower | undefined>;
  /** Stores each borrower that is not stored yet (by id); returns how many were added. */
  seed(borrowers: Iterable<Borrower>): Promise<number>;
}

/**
 * Makes a {@link StorageBorrowerRepository}.
 *
 * @example
 * const repo = storageBorrowerRepository(fsStorage({ root: '/var/lib/nordfil' }));
 */
export function storageBorrowerRepository(storage: StorageOps): StorageBorrowerRepository {
  const index = async (b: Borrower) => {
    for (const i of b.identities) await putJson(storage, `${PINS}${i.value}`, { id: b.id });
    for (const f of b.formerIdentities) {
      const key = `${PINS}${f.identity.value}`;
      if ((await storage.get(key)) === undefined) await putJson(storage, key, { id: b.id });
    }
  };
  const get = (id: string) => getJson<Borrower>(storage, `${BORROWERS}${id}`);
  return {
    async findByPersonnummer(pin) {
      const hit = await getJson<{ id: string }>(storage, `${PINS}${pin}`);
      return hit === undefined ? undefined : get(hit.id);
    },
    async save(b) {
      await putJson(storage, `${BORROWERS}${b.id}`, b);
      await index(b);
    },
    get,
    async all() {
      const out: Borrower[] = [];
      for (const key of await storage.list(BORROWERS)) {
        const b = await getJson<Borrower>(storage, key);
        if (b !== undefined) out.push(b);
      }
      return out;
    },
    async seed(borrowers) {
      let n = 0;
      for (const b of borrowers) {
        if ((await storage.get(`${BORROWERS}${b.id}`)) !== undefined) continue;
        await putJson(storage, `${BORROWERS}${b.id}`, b);
        await index(b);
        n++;
      }
      return n;
    },
  };
}
