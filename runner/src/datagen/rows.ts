// Row values of one bronze file (docs/data.md §5–6), produced one row group at a time as typed column
// arrays for the Parquet writer. Each column draws from its own stream, and every stream is consumed
// once per row whatever the row's type, so a value never depends on the order columns are generated
// in. The random text columns (UUIDs, fingerprint, payload) have keystreams of their own and are
// rendered by the writer straight into their pages (random-ascii.ts).
import { Stream, hashUniform } from './random.js';
import { RandomAscii } from './random-ascii.js';
import * as D from './domains.js';
import type { DatasetParams } from './dataset.js';
import { FileAggregates } from './aggregates.js';
import type { ColumnValues } from './parquet/column-pages.js';

/** One row group: a value array per column, in BRONZE_COLUMNS order. */
export type RowGroup = { rows: number; columns: ColumnValues[] };

const STREAM_NAMES = [
  'ts', 'customer', 'email', 'phone', 'itype', 'product', 'amount', 'currency', 'channel',
  'device', 'ip', 'geo', 'zip', 'page_views', 'time_on_site', 'clicks', 'cart', 'items', 'support', 'campaign',
  'redeemed', 'data_source', 'quality', 'user_agent', 'email_dirt', 'phone_dirt', 'state_dirt',
] as const;
type StreamName = (typeof STREAM_NAMES)[number];

/** The typed arrays of one row group before they are wrapped as ColumnValues. */
class GroupArrays {
  readonly id: Float64Array;
  readonly ts: Float64Array;
  readonly customer: Float64Array;
  readonly email: string[];
  readonly phone: string[];
  readonly itype: string[];
  readonly productId: string[];
  readonly productCategory: string[];
  readonly hasProduct: Uint8Array;
  readonly amount: Float64Array;
  readonly currency: string[];
  readonly channel: string[];
  readonly device: string[];
  readonly browser: string[];
  readonly online: Uint8Array;
  readonly ip: string[];
  readonly city: string[];
  readonly state: string[];
  readonly zip: string[];
  readonly pageViews: Int32Array;
  readonly timeOnSite: Int32Array;
  readonly bounce: Float64Array;
  readonly clicks: Int32Array;
  readonly cart: Float64Array;
  readonly items: Int32Array;
  readonly ticket: string[];
  readonly issue: string[];
  readonly satisfaction: Int32Array;
  readonly isSupport: Uint8Array;
  readonly campaign: string[];
  readonly utmSource: string[];
  readonly utmMedium: string[];
  readonly hasCampaign: Uint8Array;
  readonly member: Uint8Array;
  readonly tier: string[];
  readonly earned: Int32Array;
  readonly redeemed: Int32Array;
  readonly dataSource: string[];
  readonly flag: string[];
  readonly userAgent: string[];

  constructor(n: number) {
    this.id = new Float64Array(n);
    this.ts = new Float64Array(n);
    this.customer = new Float64Array(n);
    this.email = new Array<string>(n);
    this.phone = new Array<string>(n);
    this.itype = new Array<string>(n);
    this.productId = new Array<string>(n);
    this.productCategory = new Array<string>(n);
    this.hasProduct = new Uint8Array(n);
    this.amount = new Float64Array(n);
    this.currency = new Array<string>(n);
    this.channel = new Array<string>(n);
    this.device = new Array<string>(n);
    this.browser = new Array<string>(n);
    this.online = new Uint8Array(n);
    this.ip = new Array<string>(n);
    this.city = new Array<string>(n);
    this.state = new Array<string>(n);
    this.zip = new Array<string>(n);
    this.pageViews = new Int32Array(n);
    this.timeOnSite = new Int32Array(n);
    this.bounce = new Float64Array(n);
    this.clicks = new Int32Array(n);
    this.cart = new Float64Array(n);
    this.items = new Int32Array(n);
    this.ticket = new Array<string>(n);
    this.issue = new Array<string>(n);
    this.satisfaction = new Int32Array(n);
    this.isSupport = new Uint8Array(n);
    this.campaign = new Array<string>(n);
    this.utmSource = new Array<string>(n);
    this.utmMedium = new Array<string>(n);
    this.hasCampaign = new Uint8Array(n);
    this.member = new Uint8Array(n);
    this.tier = new Array<string>(n);
    this.earned = new Int32Array(n);
    this.redeemed = new Int32Array(n);
    this.dataSource = new Array<string>(n);
    this.flag = new Array<string>(n);
    this.userAgent = new Array<string>(n);
  }
}

export class FileRows {
  readonly aggregates = new FileAggregates();
  private readonly s: Record<StreamName, Stream>;
  private readonly text: { eventId: RandomAscii; sessionId: RandomAscii; fingerprint: RandomAscii; payload: RandomAscii };
  private readonly dirty: { email: Uint8Array; phone: Uint8Array; city: Uint8Array; state: Uint8Array };
  private readonly startUs: number;
  private readonly spanUs: number;
  private position = 0;

  constructor(
    private readonly params: DatasetParams,
    key: string,
    private readonly rowCount: number,
    private readonly firstId: number,
  ) {
    this.s = Object.fromEntries(STREAM_NAMES.map((n) => [n, Stream.derive(key, n)])) as Record<StreamName, Stream>;
    this.text = {
      eventId: new RandomAscii(key, 'event_id'),
      sessionId: new RandomAscii(key, 'session_id'),
      fingerprint: new RandomAscii(key, 'session_fingerprint'),
      payload: new RandomAscii(key, 'interaction_payload'),
    };
    const picks = Math.floor(rowCount * params.dirty_ratio);
    this.dirty = {
      email: Stream.derive(key, 'pick:email').sample(rowCount, picks),
      phone: Stream.derive(key, 'pick:phone').sample(rowCount, picks),
      city: Stream.derive(key, 'pick:city').sample(rowCount, picks),
      state: Stream.derive(key, 'pick:state').sample(rowCount, picks),
    };
    this.startUs = Date.parse(params.window_start) * 1000;
    this.spanUs = Date.parse(params.window_end) * 1000 - this.startUs;
  }

  get remaining(): number {
    return this.rowCount - this.position;
  }

  /**
   * The next row group of at most `maxRows` rows. Its random text columns are filled when the writer
   * writes them, in row order, so they must be written before the next call (the writer does).
   */
  nextRowGroup(maxRows: number): RowGroup {
    const n = Math.min(maxRows, this.remaining);
    const a = new GroupArrays(n);
    for (let i = 0; i < n; i++) this.row(this.position + i, a, i);
    this.position += n;
    const t = this.text;
    const payloadBytes = this.params.payload_bytes;
    const columns: ColumnValues[] = [
      { type: 'int64', values: a.id },
      { type: 'int64', values: a.id },
      { type: 'timestamp-us', values: a.ts },
      { type: 'random-ascii', width: 36, fill: (out, at, stride, count) => t.eventId.uuids(out, at, stride, count) },
      { type: 'random-ascii', width: 36, fill: (out, at, stride, count) => t.sessionId.uuids(out, at, stride, count) },
      { type: 'int64', values: a.customer },
      { type: 'string', values: a.email },
      { type: 'string', values: a.phone },
      { type: 'string', values: a.itype },
      { type: 'string', values: a.productId, valid: a.hasProduct },
      { type: 'string', values: a.productCategory, valid: a.hasProduct },
      { type: 'double', values: a.amount },
      { type: 'string', values: a.currency },
      { type: 'string', values: a.channel },
      { type: 'string', values: a.device, valid: a.online },
      { type: 'string', values: a.browser, valid: a.online },
      { type: 'string', values: a.ip },
      { type: 'string', values: a.city },
      { type: 'string', values: a.state },
      { type: 'string', values: a.zip },
      { type: 'int32', values: a.pageViews },
      { type: 'int32', values: a.timeOnSite },
      { type: 'double', values: a.bounce },
      { type: 'int32', values: a.clicks, valid: a.hasProduct },
      { type: 'double', values: a.cart },
      { type: 'int32', values: a.items, valid: a.hasProduct },
      { type: 'string', values: a.ticket, valid: a.isSupport },
      { type: 'string', values: a.issue, valid: a.isSupport },
      { type: 'int32', values: a.satisfaction, valid: a.isSupport },
      { type: 'string', values: a.campaign, valid: a.hasCampaign },
      { type: 'string', values: a.utmSource, valid: a.hasCampaign },
      { type: 'string', values: a.utmMedium, valid: a.hasCampaign },
      { type: 'boolean', values: a.member },
      { type: 'string', values: a.tier, valid: a.member },
      { type: 'int32', values: a.earned },
      { type: 'int32', values: a.redeemed },
      { type: 'string', values: a.dataSource },
      { type: 'string', values: a.flag },
      { type: 'string', values: a.userAgent },
      { type: 'random-ascii', width: 64, fill: (out, at, stride, count) => t.fingerprint.hex(out, at, stride, count, 32) },
      { type: 'random-ascii', width: payloadBytes * 2, fill: (out, at, stride, count) => t.payload.hex(out, at, stride, count, payloadBytes) },
    ];
    return { rows: n, columns };
  }

  private row(r: number, a: GroupArrays, i: number): void {
    const s = this.s;
    const p = this.params;
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

    // A null cell is a 0 in its column's valid mask; its value slot is never written out.
    a.id[i] = this.firstId + r;
    a.ts[i] = tsUs;
    a.customer[i] = customer;
    a.email[i] = this.email(r);
    a.phone[i] = this.phone(r);
    a.itype[i] = itype;
    a.hasProduct[i] = hasProduct ? 1 : 0;
    a.productId[i] = productId;
    a.productCategory[i] = productCategory;
    a.amount[i] = cents / 100;
    a.currency[i] = s.currency.pick(D.CURRENCIES);
    a.channel[i] = channel;
    a.online[i] = offline ? 0 : 1;
    a.device[i] = device;
    a.browser[i] = browser;
    a.ip[i] = `${s.ip.int(1, 254)}.${s.ip.int(0, 254)}.${s.ip.int(0, 254)}.${s.ip.int(1, 253)}`;
    a.city[i] = this.dirty.city[r] ? (D.CITY_MISSPELLINGS[city] ?? city) : city;
    a.state[i] = this.dirty.state[r] ? s.state_dirt.pick(D.STATE_VARIANTS[state]!) : state;
    a.zip[i] = String(s.zip.int(10000, 99998));
    a.pageViews[i] = views;
    a.timeOnSite[i] = views > 0 ? timeOnSiteDraw : 0;
    a.bounce[i] = views === 1 ? 1.0 : 0.0;
    a.clicks[i] = clicks;
    a.cart[i] = hasProduct ? cartCents / 100 : Number.NaN;
    a.items[i] = items;
    a.isSupport[i] = isSupport ? 1 : 0;
    a.ticket[i] = ticket;
    a.issue[i] = issue;
    a.satisfaction[i] = satisfaction;
    a.hasCampaign[i] = hasCampaign ? 1 : 0;
    a.campaign[i] = campaign;
    a.utmSource[i] = utmSource;
    a.utmMedium[i] = utmMedium;
    a.member[i] = member ? 1 : 0;
    a.tier[i] = tier;
    // floor(amount × 10) from the integer cents, never from a floating product (docs/data.md §5).
    a.earned[i] = member && itype === 'purchase' ? Math.floor(cents / 10) : 0;
    a.redeemed[i] = member && redeems ? redeemed : 0;
    a.dataSource[i] = s.data_source.weighted(D.DATA_SOURCES, D.DATA_SOURCE_CUMULATIVE);
    a.flag[i] = flag;
    a.userAgent[i] = userAgent;

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
}

/** Zipf–Mandelbrot rank 1…n by the continuous inverse of docs/data.md §5.2, O(1) per row. */
export function customerRank(u: number, n: number, s: number, q: number): number {
  const a = q + 0.5;
  const b = n + q + 0.5;
  const x = s === 1 ? a * (b / a) ** u - q : (a ** (1 - s) + u * (b ** (1 - s) - a ** (1 - s))) ** (1 / (1 - s)) - q;
  return Math.min(n, Math.max(1, Math.floor(x + 0.5)));
}
