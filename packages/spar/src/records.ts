/**
 * SPAR records: the XML that SPAR (Statens personadressregister, the Swedish population address register)
 * delivers, read into typed {@link SparPerson} records, and the two infile forms we send (a comma-separated
 * list of personnummer, and the XML infile).
 *
 * Reading is namespace-agnostic (SPAR puts every block in its own versioned namespace with arbitrary prefixes,
 * so elements are matched by local name), picks the current version of each block by its validity dates
 * (`DatumFrom`/`DatumTill`, `9999-12-31` = current) and keeps every version as history. Unknown elements and
 * codes are tolerated and reported as warnings with their element path and line. The name and address of a
 * person with a protected identity (sekretessmarkering, skyddad folkbokföring) are never read.
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';
import {
  decode,
  type EncodingName,
  type IsoDate,
  type Issue,
  issue,
  NordfilError,
  parsePersonnummer,
  type SafeResult,
  safely,
  tryParseIsoDate,
} from '@nordfil/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// ---------------------------------------------------------------------------------------------------------------
// Types

/**
 * SPAR schema versions this package reads. Older ones (20160213, 20170225, 2019.1) were switched off on
 * 2023-01-01.
 *
 * @example
 * SPAR_SCHEMA_VERSIONS.includes('2023.1'); // true
 */
export const SPAR_SCHEMA_VERSIONS = Object.freeze(['2021.1', '2023.1'] as const);

/**
 * A schema version read from the namespaces of a file (`undefined` when the file names none).
 *
 * @example
 * const v: SparSchemaVersion = '2021.1';
 */
export type SparSchemaVersion = (typeof SPAR_SCHEMA_VERSIONS)[number];

/**
 * The `DatumTill` value that marks a block as current ("valid until further notice").
 *
 * @example
 * isCurrent({ to: OPEN_END }); // true
 */
export const OPEN_END = '9999-12-31' as IsoDate;

/**
 * The validity of one version of a block (`DatumFrom`, `DatumTill`). A block without dates is current.
 *
 * @example
 * const v: Validity = { from: '2019-12-02' as IsoDate, to: '9999-12-31' as IsoDate };
 */
export interface Validity {
  /** DatumFrom: first day of validity. */
  readonly from?: IsoDate;
  /** DatumTill: last day of validity; `9999-12-31` means current. */
  readonly to?: IsoDate;
}

/**
 * Namn: one version of the person's name.
 *
 * @example
 * const n: SparName = { givenNames: 'Eva Ulla-Karin', callNameCode: '23', surname: 'Andersson', callName: 'Ulla-Karin' };
 */
export interface SparName extends Validity {
  /** Aviseringsnamn: the name shortened by folkbokföringen to 36 characters for envelopes. */
  readonly notificationName?: string;
  /** Förnamn: all given names, space separated. */
  readonly givenNames?: string;
  /**
   * Tilltalsnamn: a two-digit code (not a name): the 1-based positions of the given names that form the call
   * name (`23`: the second and third; hyphenated names count as two; `0` = none).
   */
  readonly callNameCode?: string;
  /** The call name worked out from {@link callNameCode} (see {@link callNameFromCode}). */
  readonly callName?: string;
  /** Mellannamn: the Swedish middle name (often a former surname). */
  readonly middleName?: string;
  /** Efternamn: the surname. */
  readonly surname?: string;
}

/**
 * Hänvisning: a referral from an old number to the person's new one (deregistration codes GN/GS). Since the
 * samordningsnummer reform (2021.1) a person can have several.
 *
 * @example
 * const r: SparReferral = { idNumber: '191212121220', type: 'PERSONNUMMER' };
 */
export interface SparReferral {
  /** IdNummer: the new 12-digit number. */
  readonly idNumber: string;
  /** Typ, when given. */
  readonly type?: string;
}

/**
 * What a deregistration code means for the borrower (the codes of SPAR's 2021.1 term description):
 * `deceased` (AV, legacy A), `new_number` (GN, GS: the person has a new number, this is not a deregistration
 * of the person), `emigrated` (UV), `missing` (OB: försvunnen, formerly "obefintlig"), `other` (AS, TA, FI, legacy
 * O), `ambiguous` (legacy G: GN or GS), `unknown` (a code SPAR added after this was written).
 *
 * @example
 * DEREGISTRATION_CODES.UV.kind; // 'emigrated'
 */
export type DeregistrationKind =
  | 'deceased'
  | 'new_number'
  | 'emigrated'
  | 'missing'
  | 'other'
  | 'ambiguous'
  | 'unknown';

/**
 * Avregistreringsorsak: SPAR's deregistration reason codes, their Swedish meaning and how the rules treat them.
 * `flag`: staff should look at the borrower (logged as a warning).
 *
 * @example
 * DEREGISTRATION_CODES.AV; // { meaning: 'Avliden', kind: 'deceased', flag: false }
 */
export const DEREGISTRATION_CODES: Readonly<
  Record<string, { readonly meaning: string; readonly kind: DeregistrationKind; readonly flag: boolean }>
> = Object.freeze({
  AV: { meaning: 'Avliden', kind: 'deceased', flag: false },
  UV: { meaning: 'Utvandrad', kind: 'emigrated', flag: false },
  OB: { meaning: 'Försvunnen (obefintlig)', kind: 'missing', flag: false },
  GN: { meaning: 'Gammalt nummer', kind: 'new_number', flag: false },
  GS: { meaning: 'Gammalt samordningsnummer', kind: 'new_number', flag: false },
  AS: { meaning: 'Annullering av samordningsnummer', kind: 'other', flag: true },
  TA: { meaning: 'Teknisk avregistrering', kind: 'other', flag: true },
  FI: { meaning: 'Falsk identitet', kind: 'other', flag: true },
  A: { meaning: 'Avliden (äldre kod)', kind: 'deceased', flag: false },
  G: { meaning: 'Gammalt nummer eller samordningsnummer (äldre kod)', kind: 'ambiguous', flag: true },
  O: { meaning: 'Annan orsak (äldre kod)', kind: 'other', flag: true },
});

/**
 * A deregistration (avregistrering) as read from Persondetaljer.
 *
 * @example
 * const d: SparDeregistration = { code: 'AV', kind: 'deceased', date: '1997-07-01' as IsoDate };
 */
export interface SparDeregistration {
  /** AvregistreringsorsakKod as given (`AV`, `UV`, `OB`, `GN`, `GS`, `AS`, `TA`, `FI`, …). */
  readonly code: string;
  readonly kind: DeregistrationKind;
  /** Avregistreringsdatum. */
  readonly date?: IsoDate;
  /** Avlidendatum: date of death, when given. */
  readonly deathDate?: IsoDate;
}

/**
 * Persondetaljer: one version of the person's details.
 *
 * @example
 * const d: SparDetails = { birthDate: '1957-04-13' as IsoDate, sex: 'KVINNA', referrals: [] };
 */
export interface SparDetails extends Validity {
  /** Sekretessmarkering in this block. */
  readonly secrecyMarked?: boolean;
  /** SkyddadFolkbokforing in this block. */
  readonly protectedRegistration?: boolean;
  readonly deregistration?: SparDeregistration;
  /** Fodelsedatum. */
  readonly birthDate?: IsoDate;
  /** Kon: `KVINNA` or `MAN` as SPAR writes it. */
  readonly sex?: string;
  /** Hänvisningar: referrals to the new number(s). */
  readonly referrals: readonly SparReferral[];
}

/**
 * Folkbokföring: one version of where and how the person is registered.
 *
 * @example
 * const r: SparRegistration = { countyCode: '01', municipalityCode: '80', municipality: '0180', residence: 'Skriven på adressen' };
 */
export interface SparRegistration extends Validity {
  /** FolkbokfordLanKod: the county (län) code, 2 digits. */
  readonly countyCode?: string;
  /** FolkbokfordKommunKod: the municipality part only, 2 digits. */
  readonly municipalityCode?: string;
  /** The usual 4-digit kommunkod: county + municipality. */
  readonly municipality?: string;
  /**
   * Hemvist: `Skriven på adressen`, `På kommunen skriven` or `Utan känt hemvist` (whereabouts unknown: the early
   * warning of an OB deregistration two years later).
   */
  readonly residence?: string;
  /** Folkbokforingsdatum. */
  readonly registeredOn?: IsoDate;
  /** DistriktKod, 6 digits. */
  readonly districtCode?: string;
}

/**
 * The legal address types of SPAR 2021.1: folkbokföringsadress (registered address), särskild postadress
 * (where the person asked to get post), utlandsadress (abroad, emigrated persons only), kontaktadress
 * (samordningsnummer holders). The values are those of `@nordfil/patron`'s `RegisterAddressType`.
 *
 * @example
 * const t: SparAddressType = 'sarskild_postadress';
 */
export type SparAddressType = 'folkbokforingsadress' | 'sarskild_postadress' | 'utlandsadress' | 'kontaktadress';

/**
 * One version of one address.
 *
 * @example
 * const a: SparAddress = { registerType: 'folkbokforingsadress', form: 'swedish', lines: ['Gatan142 8'], postalCode: '11146', town: 'STOCKHOLM' };
 */
export interface SparAddress extends Validity {
  readonly registerType: SparAddressType;
  /** `swedish` (SvenskAdress) or `international` (InternationellAdress). */
  readonly form: 'swedish' | 'international';
  /** CareOf: c/o name. */
  readonly careOf?: string;
  /** Utdelningsadress1–3, the empty ones left out. */
  readonly lines: readonly string[];
  /** PostNr, 5 digits, kept as text. */
  readonly postalCode?: string;
  /** Postort. */
  readonly town?: string;
  /** Land (international addresses). */
  readonly country?: string;
}

/**
 * AviseringPost: one person in a SPAR file, with the current version of each block and the full history.
 *
 * @example
 * const p: SparPerson = parseSparFile(xml).persons[0]!;
 * p.idNumber; // '195704133106'
 * p.name?.surname; // 'Efternamn3542'
 */
export interface SparPerson {
  /** 1-based position of the post in the file. */
  readonly record: number;
  /** Line of the post's start tag. */
  readonly line?: number;
  /** PersonId/IdNummer: person-, samordnings- or immunitetsnummer, 12 digits. */
  readonly idNumber: string;
  /** PersonId/Typ: `PERSONNUMMER`, `SAMORDNINGSNUMMER`, `IMMUNITETSNUMMER`. */
  readonly idType?: string;
  /**
   * True when the person has sekretessmarkering or skyddad folkbokföring (top level or current details). Then
   * {@link name} and {@link addresses} are never read, even if the file has them.
   */
  readonly protectedIdentity: boolean;
  readonly protection: {
    /** Sekretessmarkering. */
    readonly secrecyMarked: boolean;
    /** The `sattAvSPAR="JA"` attribute: SPAR (not Skatteverket) set the marking. */
    readonly secrecySetBySpar: boolean;
    /** SekretessDatum. */
    readonly secrecySince?: IsoDate;
    /** SkyddadFolkbokforing. */
    readonly protectedRegistration: boolean;
    /** SkyddadFolkbokforingDatum. */
    readonly protectedRegistrationSince?: IsoDate;
  };
  /** SenasteAndringSPAR: when SPAR last changed this person. */
  readonly lastChanged?: IsoDate;
  /** The current Namn. */
  readonly name?: SparName;
  /** The current Persondetaljer. */
  readonly details?: SparDetails;
  /** The current Folkbokföring. */
  readonly registration?: SparRegistration;
  /** The current version of each address block. */
  readonly addresses: readonly SparAddress[];
  /** Every version read, current ones included, in document order. */
  readonly history: {
    readonly names: readonly SparName[];
    readonly details: readonly SparDetails[];
    readonly registrations: readonly SparRegistration[];
    readonly addresses: readonly SparAddress[];
  };
}

/**
 * A parsed SPAR file.
 *
 * @example
 * const f: SparFile = parseSparFile(bytes, { source: 'avi-2026-11.xml', today });
 * f.persons.length;
 */
export interface SparFile {
  readonly source?: string;
  /** From the namespaces (`…/2021.1/…`, `…/2023.1/…`). */
  readonly schemaVersion?: string;
  /** The file header, when present (IdentifieringsinformationFil / Filinformation). */
  readonly header: {
    readonly assignmentId?: string;
    readonly createdAt?: string;
    readonly sequenceNumber?: string;
  };
  readonly persons: readonly SparPerson[];
  /** Warnings (unknown elements and codes, …), and in lenient mode the errors of posts that were left out. */
  readonly issues: readonly Issue[];
}

/**
 * Options for {@link parseSparFile}.
 *
 * @example
 * parseSparFile(bytes, { source: 'avi.xml', today: '2026-11-23' as IsoDate, strictness: 'strict' });
 */
export interface ParseSparOptions {
  /** The file name, for issues. */
  readonly source?: string;
  /**
   * Today: a block whose `DatumFrom` is after it is not current yet. Without it, `DatumFrom` does not decide.
   */
  readonly today?: IsoDate;
  /**
   * `lenient` (default): a post with a bad identity number is left out and reported; `strict`: any error
   * issue throws.
   */
  readonly strictness?: 'strict' | 'lenient';
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

type XNode = { readonly [key: string]: XNode[] | string | undefined; readonly '#text'?: string };

const POST_ELEMENTS = ['AviseringPost', 'PersonsokningSvarspost'];
const KNOWN: Readonly<Record<string, ReadonlySet<string>>> = {
  post: new Set([
    'PersonId',
    'Sekretessmarkering',
    'SekretessDatum',
    'SkyddadFolkbokforing',
    'SkyddadFolkbokforingDatum',
    'SenasteAndringSPAR',
    'SummeradInkomst',
    'InkomstAr',
    'Namn',
    'Persondetaljer',
    'Folkbokforing',
    'Folkbokforingsadress',
    'SarskildPostadress',
    'Utlandsadress',
    'Kontaktadress',
    'Relation',
    'Fastighet',
  ]),
  PersonId: new Set(['IdNummer', 'Typ']),
  Namn: new Set([
    'DatumFrom',
    'DatumTill',
    'Aviseringsnamn',
    'Fornamn',
    'Tilltalsnamn',
    'Mellannamn',
    'Efternamn',
    'Tillskrift',
  ]),
  Persondetaljer: new Set([
    'DatumFrom',
    'DatumTill',
    'Sekretessmarkering',
    'SkyddadFolkbokforing',
    'AvregistreringsorsakKod',
    'Avregistreringsdatum',
    'Avlidendatum',
    'AntraffadDodDatum',
    'Fodelsedatum',
    'FodelselanKod',
    'Fodelseforsamling',
    'Kon',
    'SvenskMedborgare',
    'Hanvisning',
    'SnStatus',
    'SnTilldelningsdatum',
    'SnPreliminartVilandeforklaringsdatum',
    'SnFornyelsedatum',
    'SnVilandeorsak',
    'SnVilandeforklaringsdatum',
    'SnAvlidendatum',
  ]),
  Hanvisning: new Set(['IdNummer', 'Typ']),
  Folkbokforing: new Set([
    'DatumFrom',
    'DatumTill',
    'FolkbokfordLanKod',
    'FolkbokfordKommunKod',
    'Hemvist',
    'Folkbokforingsdatum',
    'DistriktKod',
  ]),
  address: new Set(['DatumFrom', 'DatumTill', 'SvenskAdress', 'InternationellAdress']),
  SvenskAdress: new Set([
    'DatumFrom',
    'DatumTill',
    'CareOf',
    'Utdelningsadress1',
    'Utdelningsadress2',
    'PostNr',
    'Postort',
  ]),
  InternationellAdress: new Set([
    'DatumFrom',
    'DatumTill',
    'CareOf',
    'Utdelningsadress1',
    'Utdelningsadress2',
    'Utdelningsadress3',
    'Land',
  ]),
};

const ADDRESS_BLOCKS: readonly (readonly [string, SparAddressType])[] = [
  ['Folkbokforingsadress', 'folkbokforingsadress'],
  ['SarskildPostadress', 'sarskild_postadress'],
  ['Utlandsadress', 'utlandsadress'],
  ['Kontaktadress', 'kontaktadress'],
];

const KNOWN_VALUES: Readonly<Record<string, ReadonlySet<string>>> = {
  Typ: new Set(['PERSONNUMMER', 'SAMORDNINGSNUMMER', 'IMMUNITETSNUMMER']),
  Kon: new Set(['KVINNA', 'MAN']),
  Hemvist: new Set(['Skriven på adressen', 'På kommunen skriven', 'Utan känt hemvist']),
};

const metaSymbol = XMLParser.getMetaDataSymbol() as unknown as string;

/** Reads the encoding from the XML declaration (default UTF-8). */
function xmlEncoding(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^\uFEFF?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
}

/**
 * Unpacks a SPAR outfile: SPAR compresses every file it delivers (zip with one entry, or gzip). Anything else
 * is returned as it is.
 *
 * @example
 * const xmlBytes = unpackSparFile(await transport.read('in/avisering.zip'));
 */
export function unpackSparFile(bytes: Uint8Array, source?: string): Uint8Array {
  const fail = (why: string): never => {
    throw new NordfilError(issue('invalid_archive', why, source === undefined ? {} : { source }));
  };
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return new Uint8Array(gunzipSync(bytes));
    } catch (e) {
      return fail(`not a valid gzip file: ${(e as Error).message}`);
    }
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // end of central directory: the last PK\5\6 in the final 64 KiB + 22 bytes
    let eocd = -1;
    for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return fail('zip file without a central directory');
    const entries = view.getUint16(eocd + 10, true);
    const cd = view.getUint32(eocd + 16, true);
    const files: { method: number; size: number; offset: number; name: string }[] = [];
    let p = cd;
    for (let n = 0; n < entries; n++) {
      if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return fail('damaged zip central directory');
      const nameLength = view.getUint16(p + 28, true);
      const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
      if (!name.endsWith('/')) {
        files.push({
          method: view.getUint16(p + 10, true),
          size: view.getUint32(p + 20, true),
          offset: view.getUint32(p + 42, true),
          name,
        });
      }
      p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    if (files.length !== 1) return fail(`a SPAR zip holds exactly one file, this one holds ${files.length}`);
    const f = files[0]!;
    if (view.getUint32(f.offset, true) !== 0x04034b50) return fail('damaged zip local header');
    const start = f.offset + 30 + view.getUint16(f.offset + 26, true) + view.getUint16(f.offset + 28, true);
    const data = bytes.subarray(start, start + f.size);
    if (f.method === 0) return data.slice();
    if (f.method !== 8) return fail(`unsupported zip compression method ${f.method}`);
    try {
      return new Uint8Array(inflateRawSync(data));
    } catch (e) {
      return fail(`cannot inflate ${f.name}: ${(e as Error).message}`);
    }
  }
  return bytes;
}

class Reader {
  readonly issues: Issue[] = [];
  private readonly lineStarts: number[] = [0];
  constructor(
    text: string,
    private readonly source: string | undefined,
    private readonly today: IsoDate | undefined,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  lineOf(node: XNode): number | undefined {
    const meta = (node as unknown as Record<string, { startIndex?: number } | undefined>)[metaSymbol];
    const at = meta?.startIndex;
    if (at === undefined) return undefined;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  warn(code: string, message: string, node: XNode, path: string, details: Partial<Issue> = {}): void {
    this.report(code, message, node, path, { ...details, severity: 'warning' });
  }

  report(code: string, message: string, node: XNode, path: string, details: Partial<Issue> = {}): void {
    const line = this.lineOf(node);
    this.issues.push(
      issue(code, message, {
        ...details,
        ...(this.source === undefined ? {} : { source: this.source }),
        ...(line === undefined ? {} : { line }),
        field: path,
      }),
    );
  }

  /** Reports child elements that are not in the known set. */
  checkKnown(node: XNode, known: ReadonlySet<string>, path: string): void {
    for (const key of Object.keys(node)) {
      if (key === '#text' || key.startsWith('@_') || known.has(key)) continue;
      for (const [i, child] of (node[key] as XNode[]).entries()) {
        this.warn('unknown_element', `unknown element ${key} in ${path} (ignored)`, child, `${path}/${key}[${i + 1}]`);
      }
    }
  }

  text(node: XNode, name: string, path: string): string | undefined {
    const child = (node[name] as XNode[] | undefined)?.[0];
    if (child === undefined) return undefined;
    const t = child['#text'];
    const value = typeof t === 'string' ? t.trim() : '';
    const known = KNOWN_VALUES[name];
    if (value !== '' && known !== undefined && !known.has(value)) {
      this.warn(
        'unknown_code',
        `unknown ${name} value ${JSON.stringify(value)} (kept as it is)`,
        child,
        `${path}/${name}`,
        {
          actual: value,
        },
      );
    }
    return value === '' ? undefined : value;
  }

  date(node: XNode, name: string, path: string): IsoDate | undefined {
    const t = this.text(node, name, path);
    if (t === undefined) return undefined;
    const d = tryParseIsoDate(t);
    if (d === undefined) {
      this.warn(
        'invalid_date',
        `${name} ${JSON.stringify(t)} is not a date YYYY-MM-DD (ignored)`,
        node,
        `${path}/${name}`,
        {
          actual: t,
        },
      );
    }
    return d;
  }

  flag(node: XNode, name: string, path: string): boolean | undefined {
    const t = this.text(node, name, path);
    if (t === undefined) return undefined;
    if (t === 'JA') return true;
    if (t === 'NEJ') return false;
    this.warn('unknown_code', `${name} is JA or NEJ, got ${JSON.stringify(t)} (read as JA)`, node, `${path}/${name}`, {
      actual: t,
    });
    // err on the side of protection: an unreadable protection flag protects
    return true;
  }

  validity(node: XNode, path: string): Validity {
    const from = this.date(node, 'DatumFrom', path);
    const to = this.date(node, 'DatumTill', path);
    return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  }

  current<T extends Validity>(versions: readonly T[]): T | undefined {
    return currentVersion(versions, this.today);
  }
}

function kids(node: XNode, name: string): XNode[] {
  const v = node[name];
  return Array.isArray(v) ? v : [];
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Leaves out undefined values (for exactOptionalPropertyTypes). */
function compact<T extends object>(o: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Compact<T>;
}

/**
 * True when a version of a block is current on `today`: `DatumTill` absent, `9999-12-31` or not before today,
 * and `DatumFrom` absent or not after today (when `today` is given).
 *
 * @example
 * isCurrent({ from: '2019-12-02' as IsoDate, to: '9999-12-31' as IsoDate }); // true
 * isCurrent({ from: '2010-02-02' as IsoDate, to: '2019-12-02' as IsoDate }, '2026-11-23' as IsoDate); // false
 */
export function isCurrent(v: Validity, today?: IsoDate): boolean {
  if (v.to !== undefined && v.to !== OPEN_END && (today === undefined || v.to < today)) return false;
  if (today !== undefined && v.from !== undefined && v.from > today) return false;
  return true;
}

/**
 * The current version among several versions of one block (SPAR keeps history and does not promise any
 * order): the current ones ({@link isCurrent}), and among them the one that started last (ties: the later in
 * the file). `undefined` when none is current.
 *
 * @example
 * currentVersion([{ from: '2010-02-02', to: '2019-12-02' }, { from: '2019-12-02', to: '9999-12-31' }] as Validity[]);
 * // the second
 */
export function currentVersion<T extends Validity>(versions: readonly T[], today?: IsoDate): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (!isCurrent(v, today)) continue;
    if (best === undefined || (v.from ?? '') >= (best.from ?? '')) best = v;
  }
  return best;
}

/**
 * The call name (tilltalsnamn) from SPAR's two-digit code and the given names: each non-zero digit is the
 * 1-based position of a name, hyphenated names counting as two. `undefined` for a missing code, `0`/`00`, or a
 * position past the last name.
 *
 * @example
 * callNameFromCode('Eva Ulla-Karin Isa', '23'); // 'Ulla-Karin'
 * callNameFromCode('Eva Ulla-Karin Isa', '40'); // 'Isa'
 * callNameFromCode('Kjell Olof Stig', '12'); // 'Kjell Olof'
 */
export function callNameFromCode(givenNames: string | undefined, code: string | undefined): string | undefined {
  if (givenNames === undefined || code === undefined || !/^\d{1,2}$/.test(code)) return undefined;
  const parts = givenNames.trim().split(/([ -]+)/);
  const names = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1);
  const positions = [...new Set([...code].map(Number).filter((n) => n > 0))].sort((a, b) => a - b);
  if (positions.length === 0 || positions.some((p) => p > names.length)) return undefined;
  let out = names[positions[0]! - 1]!;
  for (let i = 1; i < positions.length; i++) {
    const prev = positions[i - 1]!;
    const cur = positions[i]!;
    out += (cur === prev + 1 ? seps[prev - 1]!.trim() || ' ' : ' ') + names[cur - 1]!;
  }
  return out;
}

function readName(r: Reader, node: XNode, path: string): SparName {
  r.checkKnown(node, KNOWN.Namn!, path);
  const givenNames = r.text(node, 'Fornamn', path);
  const callNameCode = r.text(node, 'Tilltalsnamn', path);
  return compact({
    ...r.validity(node, path),
    notificationName: r.text(node, 'Aviseringsnamn', path),
    givenNames,
    callNameCode,
    callName: callNameFromCode(givenNames, callNameCode),
    middleName: r.text(node, 'Mellannamn', path),
    surname: r.text(node, 'Efternamn', path),
  });
}

function readDetails(r: Reader, node: XNode, path: string): SparDetails {
  r.checkKnown(node, KNOWN.Persondetaljer!, path);
  const code = r.text(node, 'AvregistreringsorsakKod', path);
  let deregistration: SparDeregistration | undefined;
  if (code !== undefined) {
    const known = DEREGISTRATION_CODES[code];
    if (known === undefined) {
      r.warn(
        'unknown_deregistration_code',
        `unknown deregistration code ${JSON.stringify(code)}: treated as another deregistration`,
        node,
        `${path}/AvregistreringsorsakKod`,
        { actual: code },
      );
    }
    deregistration = compact({
      code,
      kind: known?.kind ?? 'unknown',
      date: r.date(node, 'Avregistreringsdatum', path),
      deathDate: r.date(node, 'Avlidendatum', path),
    });
  }
  const referrals = kids(node, 'Hanvisning').flatMap((h, i): SparReferral[] => {
    const p = `${path}/Hanvisning[${i + 1}]`;
    r.checkKnown(h, KNOWN.Hanvisning!, p);
    const idNumber = r.text(h, 'IdNummer', p);
    if (idNumber === undefined) {
      r.warn('invalid_referral', 'Hanvisning without IdNummer (ignored)', h, p);
      return [];
    }
    const type = r.text(h, 'Typ', p);
    return [compact({ idNumber, type })];
  });
  return compact({
    ...r.validity(node, path),
    secrecyMarked: r.flag(node, 'Sekretessmarkering', path),
    protectedRegistration: r.flag(node, 'SkyddadFolkbokforing', path),
    deregistration,
    birthDate: r.date(node, 'Fodelsedatum', path),
    sex: r.text(node, 'Kon', path),
    referrals,
  });
}

function readRegistration(r: Reader, node: XNode, path: string): SparRegistration {
  r.checkKnown(node, KNOWN.Folkbokforing!, path);
  const countyCode = r.text(node, 'FolkbokfordLanKod', path);
  const municipalityCode = r.text(node, 'FolkbokfordKommunKod', path);
  return compact({
    ...r.validity(node, path),
    countyCode,
    municipalityCode,
    municipality:
      countyCode !== undefined && municipalityCode !== undefined ? `${countyCode}${municipalityCode}` : undefined,
    residence: r.text(node, 'Hemvist', path),
    registeredOn: r.date(node, 'Folkbokforingsdatum', path),
    districtCode: r.text(node, 'DistriktKod', path),
  });
}

function readAddresses(r: Reader, post: XNode, path: string): SparAddress[] {
  const out: SparAddress[] = [];
  for (const [element, registerType] of ADDRESS_BLOCKS) {
    for (const [i, block] of kids(post, element).entries()) {
      const bp = `${path}/${element}[${i + 1}]`;
      r.checkKnown(block, KNOWN.address!, bp);
      const outer = r.validity(block, bp);
      for (const form of ['SvenskAdress', 'InternationellAdress'] as const) {
        for (const [j, a] of kids(block, form).entries()) {
          const ap = `${bp}/${form}[${j + 1}]`;
          r.checkKnown(a, KNOWN[form]!, ap);
          const inner = r.validity(a, ap);
          const lines = ['Utdelningsadress1', 'Utdelningsadress2', 'Utdelningsadress3']
            .map((n) => r.text(a, n, ap))
            .filter((l): l is string => l !== undefined);
          out.push(
            compact({
              ...outer,
              ...inner,
              registerType,
              form: form === 'SvenskAdress' ? ('swedish' as const) : ('international' as const),
              careOf: r.text(a, 'CareOf', ap),
              lines,
              postalCode: r.text(a, 'PostNr', ap),
              town: r.text(a, 'Postort', ap),
              country: r.text(a, 'Land', ap),
            }),
          );
        }
      }
    }
  }
  return out;
}

function readPost(r: Reader, post: XNode, record: number, path: string): SparPerson | undefined {
  r.checkKnown(post, KNOWN.post!, path);
  const pid = kids(post, 'PersonId')[0];
  const idPath = `${path}/PersonId`;
  if (pid !== undefined) r.checkKnown(pid, KNOWN.PersonId!, idPath);
  const idNumber = pid === undefined ? undefined : r.text(pid, 'IdNummer', idPath);
  if (idNumber === undefined || !/^\d{12}$/.test(idNumber)) {
    r.report('invalid_id_number', `post ${record} has no 12-digit PersonId/IdNummer (post left out)`, post, idPath, {
      ...(idNumber === undefined ? {} : { actual: idNumber }),
    });
    return undefined;
  }
  const idType = pid === undefined ? undefined : r.text(pid, 'Typ', idPath);
  if (idType !== 'IMMUNITETSNUMMER') {
    try {
      parsePersonnummer(idNumber);
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      r.warn('invalid_id_number', `IdNummer of post ${record} fails the personnummer check (${e.code})`, pid!, idPath);
    }
  }
  const details = kids(post, 'Persondetaljer').map((d, i) => readDetails(r, d, `${path}/Persondetaljer[${i + 1}]`));
  const currentDetails = r.current(details);
  const secrecyNode = kids(post, 'Sekretessmarkering')[0];
  const secrecyTop = r.flag(post, 'Sekretessmarkering', path) ?? false;
  const protectedTop = r.flag(post, 'SkyddadFolkbokforing', path) ?? false;
  const protection = compact({
    secrecyMarked: secrecyTop || currentDetails?.secrecyMarked === true,
    secrecySetBySpar: secrecyNode?.['@_sattAvSPAR'] === 'JA',
    secrecySince: r.date(post, 'SekretessDatum', path),
    protectedRegistration: protectedTop || currentDetails?.protectedRegistration === true,
    protectedRegistrationSince: r.date(post, 'SkyddadFolkbokforingDatum', path),
  });
  const protectedIdentity = protection.secrecyMarked || protection.protectedRegistration;
  // a protected person's name and address are never read, so they cannot reach a log, a borrower or an export
  const names = protectedIdentity ? [] : kids(post, 'Namn').map((n, i) => readName(r, n, `${path}/Namn[${i + 1}]`));
  const addresses = protectedIdentity ? [] : readAddresses(r, post, path);
  const registrations = kids(post, 'Folkbokforing').map((f, i) =>
    readRegistration(r, f, `${path}/Folkbokforing[${i + 1}]`),
  );
  const currentAddresses = ADDRESS_BLOCKS.flatMap(([, type]) => {
    const c = r.current(addresses.filter((a) => a.registerType === type));
    return c === undefined ? [] : [c];
  });
  const line = r.lineOf(post);
  return compact({
    record,
    line,
    idNumber,
    idType,
    protectedIdentity,
    protection,
    lastChanged: r.date(post, 'SenasteAndringSPAR', path),
    name: r.current(names),
    details: currentDetails,
    registration: r.current(registrations),
    addresses: currentAddresses,
    history: { names, details, registrations, addresses },
  });
}

function findAll(node: XNode, names: readonly string[], depth: number, out: XNode[]): void {
  if (depth > 8) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '#text' || key.startsWith('@_') || !Array.isArray(value)) continue;
    for (const child of value) {
      if (names.includes(key)) out.push(child);
      else findAll(child, names, depth + 1, out);
    }
  }
}

function firstText(node: XNode, name: string, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === '#text' || key.startsWith('@_') || !Array.isArray(value) || POST_ELEMENTS.includes(key)) continue;
    for (const child of value) {
      if (key === name) {
        const t = child['#text']?.trim();
        if (t) return t;
      }
      const inner = firstText(child, name, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

/**
 * Reads a SPAR XML file (avisering outfile `AviseringPost`s, or a Personsök answer's `PersonsokningSvarspost`s;
 * schemas 2021.1 and 2023.1; zip or gzip unpacked first; the encoding from the XML declaration). Elements are
 * matched by local name, whatever their namespace prefix. Broken XML throws a NordfilError `invalid_xml` naming
 * the file, line and column. Unknown elements and codes become warnings (`unknown_element`, `unknown_code`,
 * `unknown_deregistration_code`) with the element path in `field` and the line.
 *
 * @example
 * const file = parseSparFile(bytes, { source: 'avi-2026-11.xml', today: '2026-11-23' as IsoDate });
 * for (const p of file.persons) console.log(p.idNumber, p.details?.deregistration?.code);
 */
export function parseSparFile(input: Uint8Array | string, options: ParseSparOptions = {}): SparFile {
  const source = options.source;
  const where = source === undefined ? {} : { source };
  let text: string;
  if (typeof input === 'string') {
    text = input.replace(/^\uFEFF/, '');
  } else {
    const bytes = unpackSparFile(input, source);
    const enc = xmlEncoding(bytes);
    const known = ['utf-8', 'utf8', 'iso-8859-1', 'latin1', 'windows-1252'];
    if (!known.includes(enc)) {
      throw new NordfilError(issue('unsupported_encoding', `unsupported XML encoding ${JSON.stringify(enc)}`, where));
    }
    text = decode(bytes, enc as EncodingName, { fatal: enc === 'utf-8' || enc === 'utf8' });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new NordfilError(
      issue('invalid_xml', `not well-formed XML: ${valid.err.msg}`, {
        ...where,
        line: valid.err.line,
        column: valid.err.col,
      }),
    );
  }
  const parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    alwaysCreateTextNode: true,
    captureMetaData: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  });
  const root = parser.parse(text) as XNode;
  const reader = new Reader(text, source, options.today);
  const posts: XNode[] = [];
  findAll(root, POST_ELEMENTS, 0, posts);
  const persons: SparPerson[] = [];
  posts.forEach((post, i) => {
    const p = readPost(reader, post, i + 1, `Post[${i + 1}]`);
    if (p !== undefined) persons.push(p);
  });
  const version = /statenspersonadressregister\.se\/schema\/[^"'\s]*?\/(\d{4}\.\d+)\//.exec(text)?.[1];
  if (version !== undefined && !(SPAR_SCHEMA_VERSIONS as readonly string[]).includes(version)) {
    reader.issues.push(
      issue('unknown_schema_version', `schema version ${version} is not one this reader was written for`, {
        ...where,
        severity: 'warning',
        actual: version,
      }),
    );
  }
  if ((options.strictness ?? 'lenient') === 'strict' && reader.issues.some((i) => i.severity === 'error')) {
    throw new NordfilError(reader.issues);
  }
  return {
    ...where,
    ...(version === undefined ? {} : { schemaVersion: version }),
    header: compact({
      assignmentId: firstText(root, 'UppdragId'),
      createdAt: firstText(root, 'ResultatfilSkapad'),
      sequenceNumber: firstText(root, 'Sekvensnummer'),
    }),
    persons,
    issues: reader.issues,
  };
}

/**
 * {@link parseSparFile} that returns `{ success, data, warnings }` or `{ success: false, error }` instead of
 * throwing for bad input.
 *
 * @example
 * const r = safeParseSparFile(bytes, { source: 'avi.xml' });
 * if (!r.success) console.log(r.error.issues[0]?.line);
 */
export function safeParseSparFile(input: Uint8Array | string, options: ParseSparOptions = {}): SafeResult<SparFile> {
  return safely(
    () => parseSparFile(input, options),
    (f) => f.issues,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Infiles: what we send

/**
 * Options for {@link normaliseSparPin}.
 *
 * @example
 * normaliseSparPin('811218-9876', { today: '2026-11-23' as IsoDate });
 */
export interface NormalisePinOptions {
  /** Today, needed for a 10-digit number (its century follows from the separator and today's year). */
  readonly today?: IsoDate;
  /**
   * The borrower's birth date, when known: for a 10-digit number it decides the century (Libra stores 10 digits
   * and takes the century from the birth date), as long as it matches the number's date.
   */
  readonly birthDate?: IsoDate;
}

/**
 * A personnummer or samordningsnummer in the form SPAR's infiles take: 12 digits `ÅÅÅÅMMDDNNNN`, no separator,
 * validated (date, day + 60 for a samordningsnummer, Luhn check digit). Throws a NordfilError saying why
 * (`invalid_format`, `invalid_date`, `invalid_check_digit`, `century_unknown`).
 *
 * @example
 * normaliseSparPin('19121212-1212'); // '191212121212'
 * normaliseSparPin('121212-1212', { today: '2026-11-23' as IsoDate, birthDate: '1912-12-12' as IsoDate }); // '191212121212'
 */
export function normaliseSparPin(input: string, options: NormalisePinOptions = {}): string {
  const trimmed = input.replace(/\s+/g, '');
  const short = /^(\d{6})([-+]?)(\d{4})$/.exec(trimmed);
  if (short !== null && options.birthDate !== undefined) {
    const century = options.birthDate.slice(0, 2);
    const candidate = `${century}${short[1]}${short[3]}`;
    const p = tryPin(candidate);
    if (p !== undefined && p.birthDate === options.birthDate) return p.canonical;
  }
  return parsePersonnummer(trimmed, options.today === undefined ? {} : { today: options.today }).canonical;
}

function tryPin(value: string): ReturnType<typeof parsePersonnummer> | undefined {
  try {
    return parsePersonnummer(value);
  } catch {
    return undefined;
  }
}

/**
 * One value left out of an infile, and why.
 *
 * @example
 * const r: RejectedPin = { input: '191212121213', code: 'invalid_check_digit', message: '…' };
 */
export interface RejectedPin {
  readonly input: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What {@link prepareSparPins} made of a list of numbers.
 *
 * @example
 * const { pins, rejected, duplicates } = prepareSparPins(['19121212-1212', '191212121212', 'x']);
 */
export interface PreparedPins {
  /** Valid, normalised to 12 digits, each once, in first-seen order. */
  readonly pins: readonly string[];
  readonly rejected: readonly RejectedPin[];
  /** Inputs that normalised to a number already in `pins`. */
  readonly duplicates: readonly string[];
}

/**
 * Prepares numbers for a SPAR infile: validated (SPAR checks only the format, so a wrong number would give no
 * hit and no error), normalised to 12 digits, duplicates removed.
 *
 * @example
 * prepareSparPins(['191212121212', '19121212-1212', '191212121213']);
 * // { pins: ['191212121212'], duplicates: ['19121212-1212'], rejected: [{ input: '191212121213', code: 'invalid_check_digit', … }] }
 */
export function prepareSparPins(
  inputs: Iterable<string | { readonly pin: string; readonly birthDate?: IsoDate }>,
  options: NormalisePinOptions = {},
): PreparedPins {
  const pins: string[] = [];
  const seen = new Set<string>();
  const rejected: RejectedPin[] = [];
  const duplicates: string[] = [];
  for (const item of inputs) {
    const input = typeof item === 'string' ? item : item.pin;
    const birthDate = typeof item === 'string' ? undefined : item.birthDate;
    try {
      const pin = normaliseSparPin(input, { ...options, ...(birthDate === undefined ? {} : { birthDate }) });
      if (seen.has(pin)) duplicates.push(input);
      else {
        seen.add(pin);
        pins.push(pin);
      }
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      rejected.push({ input, code: e.code, message: e.issues[0]?.message ?? e.message });
    }
  }
  return { pins, rejected, duplicates };
}

function checkPins(pins: readonly string[]): void {
  const bad = pins.filter((p) => !/^\d{12}$/.test(p));
  if (bad.length > 0) {
    throw new NordfilError(
      bad.map((p) => issue('invalid_pin', 'infile numbers must be 12 digits (use prepareSparPins)', { actual: p })),
    );
  }
}

/**
 * The simple infile form: the numbers as comma-separated 12-digit values (SPAR's CSV infile), ending with a
 * newline. The numbers must already be prepared ({@link prepareSparPins}); anything else throws `invalid_pin`.
 *
 * @example
 * writeSparList(['191212121212', '198112189876']); // '191212121212,198112189876\n'
 */
export function writeSparList(pins: readonly string[]): string {
  checkPins(pins);
  return pins.length === 0 ? '' : `${pins.join(',')}\n`;
}

/**
 * Namespace assumed for the XML infile (SPAR's InfilIdNummer schema of version 2021.1). Not verified against the
 * published schema: see the package README.
 *
 * @example
 * writeSparInfileXml(pins).includes(SPAR_INFILE_NAMESPACE); // true
 */
export const SPAR_INFILE_NAMESPACE = 'http://statenspersonadressregister.se/schema/infil/2021.1/infilidnummer';

/**
 * Options for {@link writeSparInfileXml}.
 *
 * @example
 * writeSparInfileXml(pins, { currentState: true, identification: { customerNumber: '500243', assignmentId: '1' } });
 */
export interface SparInfileXmlOptions {
  /**
   * Set `nulage="JA"` on every number: SPAR then delivers the person's full current record once, at the next
   * delivery, and only changes afterwards. That is what a newly added borrower needs. Default true.
   */
  readonly currentState?: boolean;
  /**
   * IdentifieringsinformationFil for a program-to-program infile; without it the "manual" form (no
   * identification) is written, which the customer web application and Filtransport also take.
   */
  readonly identification?: {
    /** KundNrLeveransMottagare. */
    readonly customerNumber: string;
    /** KundNrSlutkund; default the customer number. */
    readonly endCustomerNumber?: string;
    /** UppdragId. */
    readonly assignmentId: string;
  };
}

/**
 * The XML infile form: `InfilIdNummerPoster` with one `InfilIdNummer` per number (optionally with
 * `nulage="JA"`), under an optional `IdentifieringsinformationFil`. UTF-8. The numbers must already be prepared
 * ({@link prepareSparPins}). The element names are those of SPAR's term description; the root element and
 * namespace are assumptions (see the README).
 *
 * @example
 * writeSparInfileXml(['191212121212']);
 * // <?xml version="1.0" encoding="UTF-8"?>\n<SPARInfil xmlns="…">\n  <InfilIdNummerPoster>\n    <InfilIdNummer nulage="JA">191212121212</InfilIdNummer>…
 */
export function writeSparInfileXml(pins: readonly string[], options: SparInfileXmlOptions = {}): string {
  checkPins(pins);
  const attr = options.currentState === false ? '' : ' nulage="JA"';
  const id = options.identification;
  const digits = (v: string, name: string) => {
    if (!/^\d{1,12}$/.test(v))
      throw new NordfilError(issue('invalid_config', `${name} must be digits`, { field: name }));
    return v;
  };
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<SPARInfil xmlns="${SPAR_INFILE_NAMESPACE}">`];
  if (id !== undefined) {
    lines.push(
      '  <IdentifieringsinformationFil>',
      `    <KundNrLeveransMottagare>${digits(id.customerNumber, 'customerNumber')}</KundNrLeveransMottagare>`,
      `    <KundNrSlutkund>${digits(id.endCustomerNumber ?? id.customerNumber, 'endCustomerNumber')}</KundNrSlutkund>`,
      `    <UppdragId>${digits(id.assignmentId, 'assignmentId')}</UppdragId>`,
      '  </IdentifieringsinformationFil>',
    );
  }
  lines.push('  <InfilIdNummerPoster>');
  for (const p of pins) lines.push(`    <InfilIdNummer${attr}>${p}</InfilIdNummer>`);
  lines.push('  </InfilIdNummerPoster>', '</SPARInfil>', '');
  return lines.join('\n');
}

/**
 * Reads back the numbers of an infile written by {@link writeSparList} or {@link writeSparInfileXml} (for
 * checks and tests: `readSparInfile(writeSparList(p))` gives `p`).
 *
 * @example
 * readSparInfile('191212121212,198112189876\n'); // ['191212121212', '198112189876']
 */
export function readSparInfile(text: string): string[] {
  if (text.trimStart().startsWith('<')) {
    return [...text.matchAll(/<(?:\w+:)?InfilIdNummer(?:\s[^>]*)?>\s*(\d{12})\s*</g)].map((m) => m[1]!);
  }
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
