// Row values of one bronze file (docs/data.md §5–6), produced in chunks of column arrays. Each column
// draws from its own stream, and every stream is consumed once per row whatever the row's type, so
// a value never depends on the order columns are generated in.
import { Stream, hashUniform } from './random.js';
import * as D from './domains.js';
import type { DatasetParams } from './dataset.js';
import { FileAggregates } from './aggregates.js';

export type Cell = string | number | bigint | boolean | null;
/** Column arrays in BRONZE_COLUMNS order; event_timestamp is carried as epoch microseconds. */
export type Chunk = { rows: number; columns: Cell[][] };

const STREAM_NAMES = [
  'ts', 'event_id', 'session_id', 'customer', 'email', 'phone', 'itype', 'product', 'amount', 'currency', 'channel',
  'device', 'ip', 'geo', 'zip', 'page_views', 'time_on_site', 'clicks', 'cart', 'items', 'support', 'campaign',
  'redeemed', 'data_source', 'quality', 'user_agent', 'fingerprint', 'payload', 'email_dirt', 'phone_dirt', 'state_dirt',
] as const;
type StreamName = (typeof STREAM_NAMES)[number];

export class FileRows {
  readonly aggregates = new FileAggregates();
  private readonly s: Record<StreamName, Stream>;
  private readonly dirty: { email: Uint8Array; phone: Uint8Array; city: Uint8Array; state: Uint8Array };
  private readonly startUs: number;
  private readonly spanUs: number;
  private readonly hexBuffer: Buffer;
  private position = 0;

  constructor(
    private readonly params: DatasetParams,
    key: string,
    private readonly rowCount: number,
    private readonly firstId: number,
  ) {
    this.s = Object.fromEntries(STREAM_NAMES.map((n) => [n, Stream.derive(key, n)])) as Record<StreamName, Stream>;
    const picks = Math.floor(rowCount * params.dirty_ratio);
    this.dirty = {
      email: Stream.derive(key, 'pick:email').sample(rowCount, picks),
      phone: Stream.derive(key, 'pick:phone').sample(rowCount, picks),
      city: Stream.derive(key, 'pick:city').sample(rowCount, picks),
      state: Stream.derive(key, 'pick:state').sample(rowCount, picks),
    };
    this.startUs = Date.parse(params.window_start) * 1000;
    this.spanUs = Date.parse(params.window_end) * 1000 - this.startUs;
    this.hexBuffer = Buffer.from(new ArrayBuffer(params.payload_bytes * 2)); // 2-byte aligned for the Uint16Array view
  }

  get remaining(): number {
    return this.rowCount - this.position;
  }

  next(maxRows: number): Chunk {
    const n = Math.min(maxRows, this.remaining);
    const columns: Cell[][] = Array.from({ length: 41 }, () => new Array<Cell>(n));
    for (let i = 0; i < n; i++) this.row(this.position + i, columns, i);
    this.position += n;
    return { rows: n, columns };
  }

  private row(r: number, c: Cell[][], i: number): void {
    const s = this.s;
    const p = this.params;
    const id = BigInt(this.firstId + r);
    const tsUs = this.startUs + Math.floor(s.ts.float() * this.spanUs);
    const customer = customerRank(s.customer.float(), p.customers, p.customer_law.s, p.customer_law.q);
    const itype = s.itype.weighted(D.INTERACTION_TYPES, D.INTERACTION_CUMULATIVE);
    const hasProduct = itype !== 'login' && itype !== 'support';
    const isSupport = itype === 'support';

    const productId = `PRD${s.product.int(10000, 99998)}`;
    const productCategory = s.product.pick(D.PRODUCT_CATEGORIES);
    const z = s.amount.normal();
    const cents = itype === 'purchase' ? Math.min(999999, Math.max(100, Math.round(Math.exp(4.3 + 1.2 * z) * 100))) : 0;
    const channel = s.channel.pick(D.CHANNELS);
    const offline = D.OFFLINE_CHANNELS.has(channel);
    const device = s.device.pick(D.DEVICE_TYPES);
    const browser = s.device.pick(D.BROWSERS);
    const [city, state] = s.geo.pick(D.CITY_STATE_PAIRS);
    const pageViews = s.page_views.int(1, 20);
    const views = itype === 'browse' || itype === 'purchase' ? pageViews : 0;
    const timeOnSiteDraw = s.time_on_site.int(30, 3629);
    const clicks = s.clicks.int(1, 100);
    const cartCents = Math.round(s.cart.float() * 999999);
    const items = s.items.int(0, 20);
    const ticket = `TKT${s.support.int(10000, 99999)}`;
    const issue = s.support.pick(D.ISSUE_CATEGORIES);
    const satisfaction = s.support.int(1, 5);
    const hasCampaign = s.campaign.chance(0.4);
    const campaign = `CMP${s.campaign.int(100, 999)}`;
    const utmSource = s.campaign.pick(D.UTM_SOURCES);
    const utmMedium = s.campaign.pick(D.UTM_MEDIUMS);
    const member = hashUniform(p.seed, customer, 0) < 0.6;
    const tierU = hashUniform(p.seed, customer, 1);
    const tier = tierU < 0.7 ? 'bronze' : tierU < 0.9 ? 'silver' : 'gold';
    const redeems = s.redeemed.chance(0.1);
    const redeemed = s.redeemed.int(100, 999);
    const flag = s.quality.weighted(D.QUALITY_FLAGS, D.QUALITY_FLAG_CUMULATIVE);
    const userAgent = `${s.user_agent.pick(D.BROWSERS)}/${s.user_agent.int(90, 129)}.0 (${s.user_agent.pick(D.DEVICE_TYPES)}; ${s.user_agent.pick(D.UA_OS)})`;

    c[0]![i] = id;
    c[1]![i] = id;
    c[2]![i] = BigInt(tsUs);
    c[3]![i] = uuid(s.event_id);
    c[4]![i] = uuid(s.session_id);
    c[5]![i] = BigInt(customer);
    c[6]![i] = this.email(r);
    c[7]![i] = this.phone(r);
    c[8]![i] = itype;
    c[9]![i] = hasProduct ? productId : null;
    c[10]![i] = hasProduct ? productCategory : null;
    c[11]![i] = cents / 100;
    c[12]![i] = s.currency.pick(D.CURRENCIES);
    c[13]![i] = channel;
    c[14]![i] = offline ? null : device;
    c[15]![i] = offline ? null : browser;
    c[16]![i] = `${s.ip.int(1, 254)}.${s.ip.int(0, 254)}.${s.ip.int(0, 254)}.${s.ip.int(1, 253)}`;
    c[17]![i] = this.dirty.city[r] ? (D.CITY_MISSPELLINGS[city] ?? city) : city;
    c[18]![i] = this.dirty.state[r] ? s.state_dirt.pick(D.STATE_VARIANTS[state]!) : state;
    c[19]![i] = String(s.zip.int(10000, 99998));
    c[20]![i] = views;
    c[21]![i] = views > 0 ? timeOnSiteDraw : 0;
    c[22]![i] = views === 1 ? 1.0 : 0.0;
    c[23]![i] = hasProduct ? clicks : null;
    c[24]![i] = hasProduct ? cartCents / 100 : Number.NaN;
    c[25]![i] = hasProduct ? items : null;
    c[26]![i] = isSupport ? ticket : null;
    c[27]![i] = isSupport ? issue : null;
    c[28]![i] = isSupport ? satisfaction : null;
    c[29]![i] = hasCampaign ? campaign : null;
    c[30]![i] = hasCampaign ? utmSource : null;
    c[31]![i] = hasCampaign ? utmMedium : null;
    c[32]![i] = member;
    c[33]![i] = member ? tier : null;
    // floor(amount × 10) from the integer cents, never from a floating product (docs/data.md §5).
    c[34]![i] = member && itype === 'purchase' ? Math.floor(cents / 10) : 0;
    c[35]![i] = member && redeems ? redeemed : 0;
    c[36]![i] = s.data_source.weighted(D.DATA_SOURCES, D.DATA_SOURCE_CUMULATIVE);
    c[37]![i] = flag;
    c[38]![i] = userAgent;
    c[39]![i] = this.hex(s.fingerprint, 32);
    c[40]![i] = this.hex(s.payload, p.payload_bytes);

    this.aggregates.add({ tsUs, itype, flag, channel, cents, productNull: !hasProduct, deviceNull: offline, satisfactionSet: isSupport });
  }

  private email(r: number): string {
    const s = this.s.email;
    const user = `user${s.int(1000, 999998)}`;
    const domain = s.pick(D.EMAIL_DOMAINS);
    const marked = s.chance(this.params.duplicate_email_ratio) ? `${user}.DUPLICATE` : user;
    const clean = `${marked}@${domain}`;
    if (!this.dirty.email[r]) return clean;
    switch (this.s.email_dirt.pick(D.EMAIL_DIRT_MODES)) {
      case 'drop-at':
        return clean.replace('@', '');
      case 'upper':
        return clean.toUpperCase();
      case 'padded':
        return `  ${clean}  `;
      case 'double-at':
        return clean.replace('@', '@@');
      case 'no-tld':
        return clean.slice(0, clean.lastIndexOf('.'));
      case 'at-word':
        return clean.replace('@', '.at.');
    }
  }

  private phone(r: number): string {
    const s = this.s.phone;
    const area = s.int(200, 998);
    const exchange = s.int(200, 998);
    const line = s.int(1000, 9998);
    const plus = s.chance(0.5);
    if (!this.dirty.phone[r]) return plus ? `+1${area}${exchange}${line}` : `(${area}) ${exchange}-${line}`;
    const d = this.s.phone_dirt;
    const mode = d.pick(D.PHONE_DIRT_MODES);
    const [a, e, l] = [d.int(200, 998), d.int(200, 998), d.int(1000, 9998)];
    switch (mode) {
      case 'digits-only':
        return `${a}${e}${l}`;
      case 'dashed':
        return `+1-${a}-${e}-${l}`;
      case 'truncated':
        return `${a}${e}`;
      case 'letter-o':
        return `${a}${e}${l}`.replace('0', 'O');
    }
  }

  private hex(stream: Stream, bytes: number): string {
    const view = new Uint16Array(this.hexBuffer.buffer, this.hexBuffer.byteOffset, bytes);
    stream.hexInto(view, 0, bytes);
    return this.hexBuffer.toString('latin1', 0, bytes * 2);
  }
}

/** Zipf–Mandelbrot rank 1…n by the continuous inverse of docs/data.md §5.2, O(1) per row. */
export function customerRank(u: number, n: number, s: number, q: number): number {
  const a = q + 0.5;
  const b = n + q + 0.5;
  const x = s === 1 ? a * (b / a) ** u - q : (a ** (1 - s) + u * (b ** (1 - s) - a ** (1 - s))) ** (1 / (1 - s)) - q;
  return Math.min(n, Math.max(1, Math.floor(x + 0.5)));
}

/** A random UUID v4 in canonical lowercase form, from the column's stream. */
function uuid(s: Stream): string {
  const w = [s.u32(), s.u32(), s.u32(), s.u32()];
  w[1] = ((w[1]! & 0xffff0fff) | 0x00004000) >>> 0; // version 4
  w[2] = ((w[2]! & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
  const h = w.map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
