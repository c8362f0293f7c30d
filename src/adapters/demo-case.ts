import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UserError } from '../core/errors.js';

export interface DemoCaseOptions {
  /** Default 20251109; the same seed always writes the same bytes. */
  seed?: number;
  /** Lines of the dataset, the malformed ones included. Default 10,000. */
  profiles?: number;
  /** Default 12,000. */
  accounts?: number;
  /** Default 2,000; at most `accounts`. */
  organizations?: number;
}

export interface DemoCaseFiles {
  accounts: string;
  organizations: string;
  memberships: string;
  dataset: string;
}

/**
 * Writes a directory export and a vendor dataset modeled on the November 2025 web-analytics vendor
 * incident: a Mixpanel Engage export with names, emails, coarse location, device and referrer data.
 */
export async function writeDemoCase(dir: string, options: DemoCaseOptions = {}): Promise<DemoCaseFiles> {
  const settings = resolveSettings(options);
  const rng = createRng(settings.seed);
  const directory = buildDirectory(rng, settings);
  const files: DemoCaseFiles = {
    accounts: resolve(dir, 'accounts.csv'),
    organizations: resolve(dir, 'organizations.csv'),
    memberships: resolve(dir, 'memberships.csv'),
    dataset: resolve(dir, 'mixpanel-people.ndjson.gz'),
  };
  await mkdir(dir, { recursive: true });
  // Only the dataset lines draw from the generator while streaming, so writing in parallel stays deterministic.
  await Promise.all([
    writeLines(files.accounts, accountRows(directory)),
    writeLines(files.organizations, organizationRows(directory)),
    writeLines(files.memberships, membershipRows(directory)),
    writeLines(files.dataset, datasetLines(rng, directory, settings.profiles), { gzip: true }),
  ]);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Settings

interface Settings {
  seed: number;
  profiles: number;
  accounts: number;
  organizations: number;
}

const DEFAULTS: Settings = { seed: 20_251_109, profiles: 10_000, accounts: 12_000, organizations: 2_000 };
const MIN_PROFILES = 100;
const MIN_ACCOUNTS = 20;

function resolveSettings(options: DemoCaseOptions): Settings {
  const settings: Settings = {
    seed: options.seed ?? DEFAULTS.seed,
    profiles: options.profiles ?? DEFAULTS.profiles,
    accounts: options.accounts ?? DEFAULTS.accounts,
    organizations: options.organizations ?? DEFAULTS.organizations,
  };
  requireInteger('seed', settings.seed, Number.MIN_SAFE_INTEGER);
  requireInteger('profiles', settings.profiles, MIN_PROFILES);
  requireInteger('organizations', settings.organizations, 1);
  requireInteger('accounts', settings.accounts, Math.max(MIN_ACCOUNTS, settings.organizations));
  return settings;
}

function requireInteger(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UserError(`demo case option ${option} must be an integer of at least ${min}`, {
      option,
      value,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

interface Rng {
  next(): number;
  int(below: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  hex(length: number): string;
}

/** mulberry32: tiny, fast and good enough for test data; the same seed always gives the same case. */
function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => at(items, int(items.length)),
    hex: (length) => {
      let out = '';
      while (out.length < length) out += int(0x10000).toString(16).padStart(4, '0');
      return out.slice(0, length);
    },
  };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} outside a list of ${items.length}`);
  return item;
}

function pickWeighted<T>(rng: Rng, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng.next() * total;
  for (const [value, weight] of entries) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return at(entries, entries.length - 1)[0];
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, key: rng.next() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

function maybe(rng: Rng, probability: number, properties: Properties): Properties {
  return rng.chance(probability) ? properties : {};
}

function merge(...parts: Properties[]): Properties {
  return parts.reduce<Properties>((all, part) => Object.assign(all, part), {});
}

function repeat<T>(value: T, count: number): T[] {
  return Array.from({ length: count }, () => value);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

// ---------------------------------------------------------------------------------------------
// Reference data: people and places

type NameOrder = 'given-family' | 'family-given' | 'family-given-joined';

interface NameEntry {
  native: string;
  latin: string;
}

interface Culture {
  weight: number;
  first: readonly NameEntry[];
  last: readonly NameEntry[];
  order: NameOrder;
  latinShare: number;
  countries: readonly string[];
  locales: readonly string[];
  webmail: readonly string[];
  legal: readonly string[];
  tlds: readonly string[];
}

interface CultureSpec {
  weight: number;
  first: string;
  last: string;
  order?: NameOrder;
  latinShare?: number;
  countries: string;
  locales: string;
  webmail?: string;
  legal: string;
  tlds: string;
}

/** Space-separated list; `_` stands for a space inside an item. */
function words(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => word.replaceAll('_', ' '));
}

/** `native/Latin` for names written in another script, plain for Latin-script names. */
function names(text: string): NameEntry[] {
  return words(text).map((word) => {
    const [native = word, latin = native] = word.split('/');
    return { native, latin };
  });
}

function culture(spec: CultureSpec): Culture {
  return {
    weight: spec.weight,
    first: names(spec.first),
    last: names(spec.last),
    order: spec.order ?? 'given-family',
    latinShare: spec.latinShare ?? 0,
    countries: words(spec.countries),
    locales: words(spec.locales),
    webmail: spec.webmail === undefined ? [] : words(spec.webmail),
    legal: words(spec.legal),
    tlds: words(spec.tlds),
  };
}

const CULTURES: readonly Culture[] = [
  culture({
    weight: 30,
    first: `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard
      Susan Joseph Jessica Thomas Sarah Charles Karen Emily Daniel Olivia Matthew Emma Anthony Ava Mark
      Sophia Andrew Isabella Joshua Mia Ryan Charlotte Ethan Amelia Noah Harper Liam Evelyn Zoë Chloe Grace
      Aiden Hannah Owen Nora Caleb Riley Sean Siobhán Niamh Aoife Declan`,
    last: `Smith Johnson Williams Brown Jones Garcia Miller Davis Wilson Anderson Taylor Thomas Moore Martin
      Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green
      Adams Baker Nelson Carter Mitchell O'Brien O'Connor Murphy Kelly Walsh MacDonald Campbell Stewart
      Hughes Evans Cooper Bennett Reed Foster Hayes Brooks`,
    countries: 'US US US US US GB GB CA AU IE NZ',
    locales: 'en en en en-GB',
    legal: 'Inc. Inc. LLC Ltd Corp.',
    tlds: 'com com com io ai co dev',
  }),
  culture({
    weight: 6,
    first: `Lukas Leon Finn Jonas Paul Felix Maximilian Jürgen Klaus Sabine Ursula Katrin Anna Lea Lena
      Hannah Mia Sophie Marie Jörg Uwe Björn Günther Annika Franziska`,
    last: `Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
      Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Krüger Hofmann Hartmann Lange Weiß Köhler`,
    countries: 'DE DE DE AT CH',
    locales: 'de de en',
    webmail: 'gmx.de web.de t-online.de',
    legal: 'GmbH GmbH AG UG',
    tlds: 'de de com io',
  }),
  culture({
    weight: 5,
    first: `Léa Chloé Manon Camille Inès Zoé Hélène Amélie Élodie Margaux Lucas Hugo Louis Gabriel Théo
      Raphaël Jules Arthur François Étienne Benoît Jérôme Cédric Loïc Maël Zoë`,
    last: `Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre
      Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet
      Fontaine Chevalier`,
    countries: 'FR FR FR BE CA CH',
    locales: 'fr fr en',
    webmail: 'orange.fr free.fr laposte.net',
    legal: 'SAS SAS SARL SA',
    tlds: 'fr fr com io',
  }),
  culture({
    weight: 7,
    first: `José María Juan Carmen Ana Lucía Sofía Valentina Camila Martina Alejandro Diego Javier Carlos
      Miguel Andrés Sebastián Mateo Santiago Ramón Inés Begoña Íñigo Agustín Pilar Nicolás`,
    last: `García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Díaz Hernández Álvarez
      Jiménez Ruiz Moreno Muñoz Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Castillo
      Núñez Ortega Peña de_la_Cruz`,
    countries: 'ES MX MX AR CO CL',
    locales: 'es es en',
    webmail: 'hotmail.es yahoo.es',
    legal: 'S.L. S.A. S.A._de_C.V.',
    tlds: 'es com com.mx io',
  }),
  culture({
    weight: 5,
    first: `João Maria Ana Pedro Lucas Gabriel Matheus Rafael Beatriz Júlia Larissa Letícia Camila Thiago
      Vinícius Luíza Gonçalo Conceição Antônio Fábio`,
    last: `Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins
      Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Araújo Magalhães Gonçalves`,
    countries: 'BR BR BR PT',
    locales: 'pt-BR pt-BR en',
    webmail: 'uol.com.br bol.com.br',
    legal: 'Ltda. S.A.',
    tlds: 'com.br com.br com',
  }),
  culture({
    weight: 5,
    order: 'family-given',
    latinShare: 0.35,
    first: `翔/Sho 蓮/Ren 陽翔/Haruto 大翔/Hiroto 悠真/Yuma 結衣/Yui 陽菜/Hina 美咲/Misaki さくら/Sakura
      葵/Aoi 健太/Kenta 拓海/Takumi 由美子/Yumiko 直樹/Naoki 彩/Aya 誠/Makoto 恵/Megumi 翼/Tsubasa`,
    last: `佐藤/Sato 鈴木/Suzuki 高橋/Takahashi 田中/Tanaka 伊藤/Ito 渡辺/Watanabe 山本/Yamamoto 中村/Nakamura
      小林/Kobayashi 加藤/Kato 吉田/Yoshida 山田/Yamada 佐々木/Sasaki 山口/Yamaguchi 松本/Matsumoto
      井上/Inoue 木村/Kimura 林/Hayashi`,
    countries: 'JP',
    locales: 'ja ja en',
    webmail: 'yahoo.co.jp docomo.ne.jp',
    legal: 'K.K. G.K.',
    tlds: 'co.jp jp com',
  }),
  culture({
    weight: 4,
    order: 'family-given-joined',
    latinShare: 0.45,
    first: `伟/Wei 芳/Fang 娜/Na 敏/Min 静/Jing 丽/Li 强/Qiang 磊/Lei 军/Jun 洋/Yang 勇/Yong 艳/Yan 杰/Jie
      涛/Tao 明/Ming 超/Chao 秀英/Xiuying 建华/Jianhua 子涵/Zihan 浩然/Haoran 欣怡/Xinyi`,
    last: `李/Li 王/Wang 张/Zhang 刘/Liu 陈/Chen 杨/Yang 黄/Huang 赵/Zhao 吴/Wu 周/Zhou 徐/Xu 孙/Sun 马/Ma
      朱/Zhu 胡/Hu 郭/Guo 林/Lin 何/He`,
    countries: 'SG TW HK',
    locales: 'zh-CN zh-TW en',
    webmail: 'qq.com 163.com',
    legal: 'Pte._Ltd. Ltd. Co.,_Ltd.',
    tlds: 'com.sg com.tw com.hk com',
  }),
  culture({
    weight: 4,
    order: 'family-given-joined',
    latinShare: 0.4,
    first: `민준/Minjun 서준/Seojun 도윤/Doyun 예준/Yejun 시우/Siwoo 서연/Seoyeon 서윤/Seoyun 지우/Jiwoo
      하은/Haeun 지민/Jimin 수빈/Subin 현우/Hyunwoo`,
    last: `김/Kim 이/Lee 박/Park 최/Choi 정/Jung 강/Kang 조/Cho 윤/Yoon 장/Jang 임/Lim 한/Han 오/Oh`,
    countries: 'KR',
    locales: 'ko ko en',
    webmail: 'naver.com daum.net',
    legal: 'Co.,_Ltd. Inc.',
    tlds: 'co.kr kr com',
  }),
  culture({
    weight: 10,
    first: `Aarav Vivaan Aditya Arjun Sai Rohan Rahul Amit Vikram Karthik Ananya Priya Diya Aadhya Saanvi
      Kavya Sneha Pooja Neha Lakshmi Deepika Meera Siddharth Harpreet Gurpreet`,
    last: `Sharma Verma Gupta Patel Singh Kumar Reddy Nair Iyer Menon Rao Das Mehta Shah Joshi Chatterjee
      Banerjee Mukherjee Pillai Bhat Kapoor Malhotra Agarwal Desai`,
    countries: 'IN IN IN IN US GB',
    locales: 'en en hi',
    webmail: 'rediffmail.com',
    legal: 'Pvt._Ltd. Pvt._Ltd. LLP',
    tlds: 'in co.in com io ai',
  }),
  culture({
    weight: 4,
    first: `Søren Mette Freja Mads Frederik Ida Astrid Åsa Björn Erik Lars Ingrid Sigrid Maja Elsa Oskar
      Nils Linnéa Jörgen Kjersti Øystein Tove Henrik`,
    last: `Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Johansson Andersson Karlsson
      Nilsson Eriksson Larsson Olsson Persson Lindqvist Åberg Bjørnstad Haugen Berg Dahl Solberg Strøm`,
    countries: 'SE DK NO',
    locales: 'sv da nb en',
    webmail: 'telia.com',
    legal: 'AB ApS AS',
    tlds: 'se dk no com',
  }),
  culture({
    weight: 3,
    first: `Łukasz Paweł Michał Krzysztof Tomasz Piotr Agnieszka Małgorzata Katarzyna Magdalena Zofia
      Joanna Wojciech Grzegorz Bartłomiej Anna`,
    last: `Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak
      Dąbrowski Kozłowski Jankowski Mazur Krawczyk`,
    countries: 'PL',
    locales: 'pl en',
    webmail: 'wp.pl onet.pl',
    legal: 'sp._z_o.o. S.A.',
    tlds: 'pl com',
  }),
  culture({
    weight: 2,
    first: 'Mehmet Mustafa Ahmet Emre Can Burak Çağlar Oğuz Zeynep Elif Ayşe Fatma Büşra Gül Şule İrem',
    last: 'Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Koç',
    countries: 'TR',
    locales: 'tr en',
    webmail: 'yandex.com.tr',
    legal: 'A.Ş. Ltd._Şti.',
    tlds: 'com.tr com',
  }),
  culture({
    weight: 4,
    first: `Chinedu Ngozi Emeka Adaeze Oluwaseun Folake Tunde Yewande Kwame Ama Kofi Abena Wanjiru Achieng
      Amara Chiamaka Ifeanyi Babajide`,
    last: `Okafor Adeyemi Okonkwo Adebayo Eze Nwosu Balogun Ogunleye Mensah Owusu Boateng Asante Kamau
      Odhiambo Mwangi Otieno Njoroge Abubakar Bello Ibrahim`,
    countries: 'NG NG KE GH',
    locales: 'en',
    legal: 'Ltd Ltd PLC',
    tlds: 'ng co.ke com',
  }),
  culture({
    weight: 3,
    latinShare: 0.75,
    first: `محمد/Mohammed أحمد/Ahmed عمر/Omar علي/Ali يوسف/Youssef خالد/Khaled حسن/Hassan فاطمة/Fatima
      عائشة/Aisha مريم/Mariam ليلى/Layla نور/Noor ياسمين/Yasmin سلمى/Salma كريم/Karim طارق/Tariq رانيا/Rania`,
    last: `الفارسي/Al-Farsi السيد/Al-Sayed حداد/Haddad ناصر/Nasser خليل/Khalil منصور/Mansour حمدان/Hamdan
      صالح/Saleh عزيز/Aziz الأمين/El-Amin`,
    countries: 'AE SA EG',
    locales: 'ar en en',
    legal: 'LLC FZ-LLC',
    tlds: 'ae sa com',
  }),
  culture({
    weight: 2,
    order: 'family-given',
    first: 'An Bình Châu Dũng Hà Hải Hương Lan Linh Minh Ngọc Phương Quân Thảo Trang Tuấn Văn_Đức Thị_Mai',
    last: 'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý',
    countries: 'VN',
    locales: 'vi en',
    legal: 'JSC Co.,_Ltd.',
    tlds: 'vn com.vn com',
  }),
  culture({
    weight: 3,
    first: `Giulia Francesca Chiara Martina Alessandro Lorenzo Matteo Leonardo Niccolò Andrea Federica
      Giuseppe Salvatore Elena Luca Simone`,
    last: `Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De_Luca
      Mancini Costa Giordano Fontana`,
    countries: 'IT',
    locales: 'it en',
    webmail: 'libero.it',
    legal: 'S.r.l. S.p.A.',
    tlds: 'it com',
  }),
  culture({
    weight: 3,
    first: 'Daan Sem Lars Bram Thijs Emma Julia Sanne Fenna Femke Sophie Anouk Joris Pieter Maarten Lieke',
    last: `de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Visser Smit Meijer de_Boer Mulder de_Groot
      Bos Vos Peters Hendriks van_der_Meer Dekker`,
    countries: 'NL NL BE',
    locales: 'nl en',
    webmail: 'ziggo.nl',
    legal: 'B.V. B.V. N.V.',
    tlds: 'nl com io',
  }),
  culture({
    weight: 2,
    latinShare: 0.5,
    first: `Олена/Olena Андрій/Andrii Оксана/Oksana Дмитро/Dmytro Ірина/Iryna Тарас/Taras Наталія/Nataliia
      Богдан/Bohdan Юлія/Yuliia Олександр/Oleksandr`,
    last: `Шевченко/Shevchenko Коваленко/Kovalenko Бондаренко/Bondarenko Ткаченко/Tkachenko
      Кравченко/Kravchenko Мельник/Melnyk Бойко/Boiko Лисенко/Lysenko`,
    countries: 'UA',
    locales: 'uk en',
    webmail: 'ukr.net',
    legal: 'LLC TOV',
    tlds: 'ua com.ua com',
  }),
];

const CULTURE_WEIGHTS = CULTURES.map((entry) => [entry, entry.weight] as const);

const GLOBAL_WEBMAIL = words(
  'gmail.com gmail.com gmail.com outlook.com hotmail.com yahoo.com icloud.com proton.me',
);
const ACADEMIC_DOMAINS = words('stanford.edu mit.edu tum.de ox.ac.uk u-tokyo.ac.jp ethz.ch iitb.ac.in');

interface City {
  city: string;
  region: string;
  timezone: string;
}

/** Country code → `City|Region|Time zone` entries, as Mixpanel's IP geolocation reports them. */
const GEO: ReadonlyMap<string, readonly City[]> = new Map(
  Object.entries({
    US: `San Francisco|California|America/Los_Angeles; New York|New York|America/New_York;
      Seattle|Washington|America/Los_Angeles; Austin|Texas|America/Chicago; Chicago|Illinois|America/Chicago;
      Boston|Massachusetts|America/New_York; Denver|Colorado|America/Denver`,
    GB: 'London|England|Europe/London; Manchester|England|Europe/London; Edinburgh|Scotland|Europe/London',
    CA: `Toronto|Ontario|America/Toronto; Vancouver|British Columbia|America/Vancouver;
      Montréal|Quebec|America/Toronto`,
    AU: 'Sydney|New South Wales|Australia/Sydney; Melbourne|Victoria|Australia/Melbourne',
    IE: 'Dublin|Leinster|Europe/Dublin',
    NZ: 'Auckland|Auckland|Pacific/Auckland',
    DE: `Berlin|Land Berlin|Europe/Berlin; Munich|Bavaria|Europe/Berlin; Hamburg|Hamburg|Europe/Berlin;
      Köln|North Rhine-Westphalia|Europe/Berlin`,
    AT: 'Vienna|Vienna|Europe/Vienna',
    CH: 'Zürich|Zurich|Europe/Zurich; Geneva|Geneva|Europe/Zurich',
    FR: 'Paris|Île-de-France|Europe/Paris; Lyon|Auvergne-Rhône-Alpes|Europe/Paris; Toulouse|Occitanie|Europe/Paris',
    BE: 'Brussels|Brussels Capital|Europe/Brussels',
    ES: 'Madrid|Madrid|Europe/Madrid; Barcelona|Catalonia|Europe/Madrid',
    MX: 'Mexico City|Mexico City|America/Mexico_City; Guadalajara|Jalisco|America/Mexico_City',
    AR: 'Buenos Aires|Buenos Aires F.D.|America/Argentina/Buenos_Aires',
    CO: 'Bogotá|Bogota D.C.|America/Bogota',
    CL: 'Santiago|Santiago Metropolitan|America/Santiago',
    BR: `São Paulo|São Paulo|America/Sao_Paulo; Rio de Janeiro|Rio de Janeiro|America/Sao_Paulo;
      Belo Horizonte|Minas Gerais|America/Sao_Paulo`,
    PT: 'Lisbon|Lisbon|Europe/Lisbon',
    JP: 'Tokyo|Tokyo|Asia/Tokyo; Osaka|Osaka|Asia/Tokyo; Fukuoka|Fukuoka|Asia/Tokyo',
    SG: 'Singapore|Central Singapore|Asia/Singapore',
    TW: 'Taipei|Taipei City|Asia/Taipei',
    HK: 'Hong Kong|Central and Western|Asia/Hong_Kong',
    KR: 'Seoul|Seoul|Asia/Seoul; Busan|Busan|Asia/Seoul',
    IN: `Bengaluru|Karnataka|Asia/Kolkata; Mumbai|Maharashtra|Asia/Kolkata; Hyderabad|Telangana|Asia/Kolkata;
      New Delhi|National Capital Territory of Delhi|Asia/Kolkata; Pune|Maharashtra|Asia/Kolkata`,
    SE: 'Stockholm|Stockholm|Europe/Stockholm; Malmö|Skåne|Europe/Stockholm',
    DK: 'Copenhagen|Capital Region|Europe/Copenhagen; Aarhus|Central Jutland|Europe/Copenhagen',
    NO: 'Oslo|Oslo|Europe/Oslo',
    PL: 'Warsaw|Mazovia|Europe/Warsaw; Kraków|Lesser Poland|Europe/Warsaw',
    TR: 'Istanbul|Istanbul|Europe/Istanbul; Ankara|Ankara|Europe/Istanbul',
    NG: 'Lagos|Lagos|Africa/Lagos; Abuja|FCT|Africa/Lagos',
    KE: 'Nairobi|Nairobi County|Africa/Nairobi',
    GH: 'Accra|Greater Accra|Africa/Accra',
    AE: 'Dubai|Dubai|Asia/Dubai',
    SA: 'Riyadh|Riyadh Region|Asia/Riyadh',
    EG: 'Cairo|Cairo Governorate|Africa/Cairo',
    VN: 'Ho Chi Minh City|Ho Chi Minh|Asia/Ho_Chi_Minh; Hanoi|Hanoi|Asia/Ho_Chi_Minh',
    IT: 'Milan|Lombardy|Europe/Rome; Rome|Lazio|Europe/Rome',
    NL: 'Amsterdam|North Holland|Europe/Amsterdam; Utrecht|Utrecht|Europe/Amsterdam',
    UA: 'Kyiv|Kyiv City|Europe/Kyiv; Lviv|Lviv|Europe/Kyiv',
  }).map(([country, text]) => [country, parseCities(text)]),
);
const GEO_COUNTRIES = [...GEO.keys()];

function parseCities(text: string): City[] {
  return text.split(';').map((entry) => {
    const [city = '', region = '', timezone = ''] = entry.trim().split('|');
    return { city, region, timezone };
  });
}

function citiesOf(country: string): readonly City[] {
  const cities = GEO.get(country);
  if (cities === undefined) throw new RangeError(`no cities for country ${country}`);
  return cities;
}

// ---------------------------------------------------------------------------------------------
// Reference data: organizations, devices, referrers

const ORG_ROOTS =
  words(`Northwind Blue_Heron Aster Lumen Kestrel Polaris Quarry Tidal Granite Saffron Meridian
  Helix Juniper Orbit Cobalt Vega Nimbus Fjord Sakura Mistral Andes Baobab Zenith Ember Atlas Pioneer Ridgeline
  Summit Harbor Lattice Vertex Quantum Beacon Cedar Falcon Oakwood Willow Indigo Crimson Silverline Redwood
  Bluefin Cascade Aurora Solstice Monsoon Sequoia Tundra Caravel Marigold Obsidian Pinnacle Riverbend
  Stonebridge Tessera Umbra Verdant Wavelength Yellowfin Alder Birch Condor Delta Ellipse Foxglove Gossamer
  Halcyon Ironclad Jasper Kinetic Lighthouse Magnolia Nova Onyx Prism Quill Rook Sable Thistle Vireo Wren
  Kōyō Élan Nordlys Brückner`);
const ORG_KINDS =
  words(`Labs Analytics Robotics Health Systems AI Data Software Bio Capital Logistics Learning
  Studio Works Cloud Networks Security Energy Media Games Legal Insurance Foods Mobility Research Consulting
  Partners Ventures Retail Education Translation Design`);
const ORG_WORD_ENDINGS = words('ly io ify hub base stack works lab');
/** The dashboard gives every new user a default organization with this name. */
const DEFAULT_ORG_NAME = 'Personal';

const PLATFORMS: readonly (readonly [{ os: string; browsers: readonly string[] }, number])[] = [
  [
    { os: 'Mac OS X', browsers: words('Chrome Chrome Chrome Safari Safari Firefox Microsoft_Edge Opera') },
    38,
  ],
  [
    { os: 'Windows', browsers: words('Chrome Chrome Chrome Microsoft_Edge Microsoft_Edge Firefox Opera') },
    34,
  ],
  [{ os: 'Linux', browsers: words('Chrome Chrome Firefox Firefox') }, 12],
  [{ os: 'iOS', browsers: words('Mobile_Safari Mobile_Safari Chrome_iOS Firefox_iOS') }, 7],
  [{ os: 'Android', browsers: words('Chrome Chrome Samsung_Internet') }, 6],
  [{ os: 'Chrome OS', browsers: ['Chrome'] }, 3],
];
const MAJOR_VERSIONS: Readonly<Record<string, readonly [number, number]>> = {
  Chrome: [120, 142],
  'Chrome iOS': [120, 142],
  Firefox: [115, 145],
  'Firefox iOS': [120, 145],
  'Microsoft Edge': [120, 142],
  Opera: [105, 123],
  'Samsung Internet': [23, 28],
};
const SAFARI_VERSIONS = [16.6, 17.4, 17.6, 18.1, 18.3, 18.5, 18.6, 26, 26.1];

const REFERRERS = words(`https://www.google.com/ https://www.google.com/ https://www.google.com/
  https://github.com/ https://news.ycombinator.com/ https://www.bing.com/ https://duckduckgo.com/ https://t.co/
  https://www.reddit.com/r/MachineLearning/ https://stackoverflow.com/questions/tagged/python
  https://www.linkedin.com/ https://www.youtube.com/ https://medium.com/ https://dev.to/
  https://www.producthunt.com/ https://mail.google.com/ https://www.google.de/ https://www.google.co.jp/
  https://search.naver.com/ https://www.baidu.com/`).map((url) => ({ url, domain: new URL(url).hostname }));
const CAMPAIGNS = words(`google:brand-search newsletter:dev-digest-2025-09 twitter:launch-week
  linkedin:enterprise-webinar producthunt:launch partner:cloud-marketplace youtube:devday-recap`).map(
  (pair) => pair.split(':'),
);

const CREATED_FROM = Date.UTC(2021, 5, 1);
/** The attacker's export ran on 9 November 2025; nothing in the dataset is newer. */
const EXPORTED_AT = Date.UTC(2025, 10, 9, 6, 0, 0);

// ---------------------------------------------------------------------------------------------
// The directory: organizations, accounts, memberships

type AccountStatus = 'active' | 'disabled' | 'deleted';
type Role = 'owner' | 'admin' | 'member';

interface Organization {
  id: string;
  name: string;
  domain: string | undefined;
}

interface Person {
  given: string;
  name: string;
  slugs: readonly [string, string];
}

interface Account extends Person {
  id: string;
  email: string;
  status: AccountStatus;
  locale: string;
  country: string;
  culture: Culture;
  primaryOrgId: string;
  orgIds: readonly string[];
}

interface Membership {
  orgId: string;
  accountId: string;
  role: Role;
}

interface Directory {
  organizations: readonly Organization[];
  accounts: readonly Account[];
  memberships: readonly Membership[];
  ids: ReadonlySet<string>;
  /** Lower-cased addresses already in use, so generated outsiders never collide with accounts. */
  emails: ReadonlySet<string>;
  hostile: readonly Account[];
  sharedEmails: readonly string[];
  sharing: ReadonlySet<Account>;
}

const HOSTILE_NAMES = [
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  'Ana "Nani" Souza',
  "O'Connor, Siobhán",
] as const;
const SHARED_MAILBOXES = words('ml-team data-eng ai-platform');

function buildDirectory(rng: Rng, settings: Settings): Directory {
  const organizations = buildOrganizations(rng, settings.organizations);
  const { orgsOfAccount, membersOfOrg } = assignOrganizations(rng, settings.accounts, settings.organizations);
  const emails = new Set<string>();
  const accounts = orgsOfAccount.map((orgs) =>
    buildAccount(
      rng,
      orgs.map((org) => at(organizations, org)),
      emails,
    ),
  );
  const special = distinctIndices(rng, HOSTILE_NAMES.length + 5, accounts.length).map((index) =>
    at(accounts, index),
  );
  const hostile = special.slice(0, HOSTILE_NAMES.length);
  hostile.forEach((account, index) => nameAs(account, at(HOSTILE_NAMES, index)));
  const sharing = special.slice(HOSTILE_NAMES.length);
  const sharedEmails = shareEmails(rng, sharing, organizations, emails);
  return {
    organizations,
    accounts,
    memberships: assignRoles(rng, membersOfOrg, organizations, accounts),
    ids: new Set(accounts.map((account) => account.id)),
    emails,
    hostile,
    sharedEmails,
    sharing: new Set(sharing),
  };
}

function buildOrganizations(rng: Rng, count: number): Organization[] {
  const taken = new Set<string>();
  const organizations = range(count).map(() => buildOrganization(rng, taken));
  const quoted = at(organizations, rng.int(count));
  quoted.name = 'Barker, Lowe & "Associates" LLP';
  quoted.domain = 'barkerlowe.com';
  return organizations;
}

function buildOrganization(rng: Rng, taken: Set<string>): Organization {
  const id = `org-${rng.hex(24)}`;
  if (rng.chance(0.04)) return { id, name: DEFAULT_ORG_NAME, domain: undefined };
  const home = pickWeighted(rng, CULTURE_WEIGHTS);
  let base = organizationBase(rng, home);
  for (let attempt = 1; taken.has(base); attempt++) {
    base = attempt < 20 ? organizationBase(rng, home) : `${organizationBase(rng, home)} ${attempt}`;
  }
  taken.add(base);
  const legal = rng.chance(0.6) ? rng.pick(home.legal) : '';
  const separator = legal === 'Inc.' && rng.chance(0.4) ? ', ' : ' ';
  return {
    id,
    name: legal === '' ? base : `${base}${separator}${legal}`,
    domain: `${slug(base)}.${rng.pick(home.tlds)}`,
  };
}

function organizationBase(rng: Rng, home: Culture): string {
  const roll = rng.next();
  if (roll < 0.65) return `${rng.pick(ORG_ROOTS)} ${rng.pick(ORG_KINDS)}`;
  if (roll < 0.85) return `${rng.pick(home.last).latin} ${rng.pick(ORG_KINDS)}`;
  return `${rng.pick(ORG_ROOTS)}${rng.pick(ORG_WORD_ENDINGS)}`;
}

interface Assignment {
  orgsOfAccount: number[][];
  /** Members of each organization in joining order; the first one founded it and owns it. */
  membersOfOrg: number[][];
}

function assignOrganizations(rng: Rng, accountCount: number, orgCount: number): Assignment {
  const orgsOfAccount: number[][] = range(accountCount).map(() => []);
  const membersOfOrg: number[][] = range(orgCount).map(() => []);
  shuffle(rng, range(accountCount)).forEach((account, position) => {
    const orgs = at(orgsOfAccount, account);
    const wanted = Math.min(orgCount, membershipCount(rng));
    // The first accounts found one organization each, so no organization is left without an owner.
    orgs.push(position < orgCount ? position : skewedOrg(rng, orgCount));
    while (orgs.length < wanted) {
      const org = skewedOrg(rng, orgCount);
      if (!orgs.includes(org)) orgs.push(org);
    }
    orgs.forEach((org) => at(membersOfOrg, org).push(account));
  });
  return { orgsOfAccount, membersOfOrg };
}

function membershipCount(rng: Rng): number {
  const roll = rng.next();
  return roll < 0.75 ? 1 : roll < 0.95 ? 2 : 3;
}

/** A few large customers and a long tail of small teams. */
function skewedOrg(rng: Rng, orgCount: number): number {
  return Math.min(orgCount - 1, Math.floor(orgCount * rng.next() ** 2.2));
}

function assignRoles(
  rng: Rng,
  membersOfOrg: readonly (readonly number[])[],
  organizations: readonly Organization[],
  accounts: readonly Account[],
): Membership[] {
  return membersOfOrg.flatMap((members, org) => {
    const admins = members.length < 3 ? 0 : rng.chance(0.35) ? 1 : rng.chance(0.2) ? 2 : 0;
    const orgId = at(organizations, org).id;
    return members.map((account, index): Membership => ({
      orgId,
      accountId: at(accounts, account).id,
      role: index === 0 ? 'owner' : index <= admins ? 'admin' : 'member',
    }));
  });
}

const STATUSES: readonly (readonly [AccountStatus, number])[] = [
  ['active', 935],
  ['disabled', 60],
  ['deleted', 5],
];

function buildAccount(rng: Rng, orgs: readonly Organization[], emails: Set<string>): Account {
  const home = pickWeighted(rng, CULTURE_WEIGHTS);
  const person = personOf(rng, home);
  // Some people signed up with an email address only.
  const anonymous = rng.chance(0.01);
  const primary = at(orgs, 0);
  const companyMail = primary.domain !== undefined && rng.chance(0.6);
  const domain = primary.domain !== undefined && companyMail ? primary.domain : webmailDomain(rng, home);
  const address = claimEmail(rng, emails, localPart(rng, person.slugs, companyMail), domain);
  return {
    given: anonymous ? '' : person.given,
    name: anonymous ? '' : person.name,
    slugs: person.slugs,
    id: `user-${rng.hex(24)}`,
    // Some people typed their address with capitals at sign-up and the directory kept it.
    email: rng.chance(0.03) ? titleCaseLocal(address) : address,
    status: pickWeighted(rng, STATUSES),
    locale: rng.pick(home.locales),
    country: rng.pick(home.countries),
    culture: home,
    primaryOrgId: primary.id,
    orgIds: orgs.map((org) => org.id),
  };
}

function personOf(rng: Rng, home: Culture): Person {
  const first = rng.pick(home.first);
  const last = rng.pick(home.last);
  const latin = rng.chance(home.latinShare);
  const given = latin ? first.latin : first.native;
  const family = latin ? last.latin : last.native;
  const order = latin ? 'given-family' : home.order;
  const name =
    order === 'given-family'
      ? `${given} ${family}`
      : order === 'family-given'
        ? `${family} ${given}`
        : `${family}${given}`;
  return { given, name, slugs: [slug(first.latin), slug(last.latin)] };
}

const FOLDED: Readonly<Record<string, string>> = {
  ø: 'o',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
};

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øßłđæœı]/g, (letter) => FOLDED[letter] ?? '')
    .replace(/[^a-z0-9]/g, '');
}

function localPart(rng: Rng, [first, last]: readonly [string, string], companyMail: boolean): string {
  const given = first || 'user';
  const roll = rng.next();
  if (roll < 0.4) return `${given}.${last}`;
  if (roll < 0.6) return `${given.slice(0, 1)}${last}`;
  if (roll < 0.7) return `${last}.${given}`;
  if (roll < 0.75) return `${given}_${last}`;
  if (roll < 0.85 && companyMail) return given;
  return `${given}${last}${rng.int(100)}`;
}

function webmailDomain(rng: Rng, home: Culture): string {
  return home.webmail.length > 0 && rng.chance(0.3) ? rng.pick(home.webmail) : rng.pick(GLOBAL_WEBMAIL);
}

function claimEmail(rng: Rng, taken: Set<string>, local: string, domain: string): string {
  let address = `${local}@${domain}`;
  for (let attempt = 0; taken.has(address.toLowerCase()); attempt++) {
    address = `${local}${rng.int(10 ** (2 + Math.floor(attempt / 10)))}@${domain}`;
  }
  taken.add(address.toLowerCase());
  return address;
}

function titleCaseLocal(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).replace(/(^|[._-])([a-z])/g, (_, mark: string, letter: string) => {
    return `${mark}${letter.toUpperCase()}`;
  });
  return `${local}${address.slice(at)}`;
}

/** Spellings of one address that differ only in case: what the "ambiguous email" rule must catch. */
function caseVariant(address: string, variant: number): string {
  const lower = address.toLowerCase();
  const variants = [lower, titleCaseLocal(lower), lower.toUpperCase()];
  return at(variants, variant % variants.length);
}

function nameAs(account: Account, name: string): void {
  account.name = name;
  account.given = name;
}

function distinctIndices(rng: Rng, count: number, below: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(below));
  return [...chosen];
}

/**
 * Two addresses held by several accounts: one person who signed up twice with different capitals,
 * and a team mailbox that three colleagues used for their own accounts.
 */
function shareEmails(
  rng: Rng,
  sharing: readonly Account[],
  organizations: readonly Organization[],
  emails: Set<string>,
): string[] {
  const [twiceA, twiceB, ...team] = sharing;
  if (twiceA === undefined || twiceB === undefined) throw new RangeError('shareEmails needs five accounts');
  const personal = twiceA.email.toLowerCase();
  Object.assign(twiceB, {
    name: twiceA.name,
    given: twiceA.given,
    slugs: twiceA.slugs,
    country: twiceA.country,
  });
  twiceA.email = caseVariant(personal, 0);
  twiceB.email = caseVariant(personal, 1);
  const domain =
    organizations.find((org) => org.id === team[0]?.primaryOrgId)?.domain ??
    organizations.find((org) => org.domain !== undefined)?.domain ??
    'example.com';
  const mailbox = claimEmail(rng, emails, rng.pick(SHARED_MAILBOXES), domain);
  team.forEach((account, index) => {
    account.email = caseVariant(mailbox, index);
  });
  return [personal, mailbox.toLowerCase()];
}

// ---------------------------------------------------------------------------------------------
// CSV files of the directory

function* accountRows(directory: Directory): Generator<string> {
  yield 'id,email,name,status,locale,country';
  for (const account of directory.accounts) {
    const { id, email, name, status, locale, country } = account;
    yield csvRow([id, email, name, status, locale, country]);
  }
}

function* organizationRows(directory: Directory): Generator<string> {
  yield 'id,name';
  for (const org of directory.organizations) yield csvRow([org.id, org.name]);
}

function* membershipRows(directory: Directory): Generator<string> {
  yield 'org_id,account_id,role';
  for (const membership of directory.memberships) {
    yield csvRow([membership.orgId, membership.accountId, membership.role]);
  }
}

function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

// ---------------------------------------------------------------------------------------------
// The vendor's dataset: Mixpanel Engage profiles as NDJSON

type Properties = Record<string, unknown>;

interface Profile {
  $distinct_id: string | number;
  $properties: Properties;
}

type LineKind =
  | 'account'
  | 'duplicate'
  | 'device-email'
  | 'stranger'
  | 'uncontactable'
  | 'ambiguous'
  | 'hostile-name'
  | 'crlf-name'
  | 'proto-key'
  | 'malformed';

interface DatasetState {
  rng: Rng;
  directory: Directory;
  /** Directory accounts in the order the export lists them. */
  exported: readonly Account[];
  exportedCount: number;
  emails: Set<string>;
  /** Outsiders' addresses seen once, so a second profile can reuse one. */
  outsiders: { email: string; name: string }[];
  counters: { account: number; hostile: number; ambiguous: number; malformed: number };
}

const AMBIGUOUS_PROFILES = 4;

function* datasetLines(rng: Rng, directory: Directory, profiles: number): Generator<string> {
  const plan = planLines(rng, profiles);
  const hostile = new Set(directory.hostile);
  const state: DatasetState = {
    rng,
    directory,
    exported: shuffle(
      rng,
      directory.accounts.filter((account) => !hostile.has(account)),
    ),
    exportedCount: plan.filter((kind) => kind === 'account').length,
    emails: new Set(directory.emails),
    outsiders: [],
    counters: { account: 0, hostile: 0, ambiguous: 0, malformed: 0 },
  };
  for (const kind of plan) yield lineFor(state, kind);
}

function planLines(rng: Rng, profiles: number): LineKind[] {
  const share = (fraction: number): number => Math.round(profiles * fraction);
  const special: LineKind[] = [
    ...repeat<LineKind>('duplicate', share(0.02)),
    ...repeat<LineKind>('device-email', share(0.03)),
    ...repeat<LineKind>('stranger', share(0.04)),
    ...repeat<LineKind>('uncontactable', share(0.01)),
    ...repeat<LineKind>('ambiguous', AMBIGUOUS_PROFILES),
    ...repeat<LineKind>('hostile-name', HOSTILE_NAMES.length),
    'crlf-name',
    'proto-key',
  ];
  const accounts = profiles - MALFORMED.length - special.length;
  const plan = shuffle(rng, [...special, ...repeat<LineKind>('account', accounts)]);
  for (const position of malformedPositions(rng, profiles)) plan.splice(position, 0, 'malformed');
  return plan;
}

/** One malformed line in each seventh of the file, never at the start where the layout is detected. */
function malformedPositions(rng: Rng, profiles: number): number[] {
  const segment = profiles / MALFORMED.length;
  return MALFORMED.map((_, index) => Math.floor((index + 0.15 + 0.7 * rng.next()) * segment));
}

function lineFor(state: DatasetState, kind: LineKind): string {
  switch (kind) {
    case 'account':
      return JSON.stringify(accountProfile(state, nextExported(state)));
    case 'duplicate':
      return JSON.stringify(accountProfile(state, alreadyExported(state)));
    case 'device-email':
      return JSON.stringify(deviceEmailProfile(state));
    case 'stranger':
      return JSON.stringify(strangerProfile(state));
    case 'uncontactable':
      return JSON.stringify(uncontactableProfile(state));
    case 'ambiguous':
      return JSON.stringify(ambiguousProfile(state));
    case 'hostile-name':
      return JSON.stringify(hostileNameProfile(state));
    case 'crlf-name':
      return JSON.stringify(crlfNameProfile(state));
    case 'proto-key':
      return JSON.stringify(protoKeyProfile(state));
    case 'malformed':
      return malformedLine(state);
  }
}

function nextExported(state: DatasetState): Account {
  return at(state.exported, state.counters.account++ % state.exported.length);
}

function alreadyExported(state: DatasetState): Account {
  const seen = Math.max(1, Math.min(state.exportedCount, state.exported.length));
  return at(state.exported, state.rng.int(seen));
}

function anyAccount(state: DatasetState): Account {
  return state.rng.pick(state.directory.accounts);
}

function accountProfile(state: DatasetState, account: Account): Profile {
  const { rng } = state;
  return {
    $distinct_id: account.id,
    $properties: merge(
      nameProperty(rng, account),
      emailProperty(state, account),
      visitorProperties(rng, account.country),
      maybe(rng, 0.8, { org_id: account.primaryOrgId }),
      maybe(rng, 0.2, { $groups: { org_id: [...account.orgIds] } }),
    ),
  };
}

function nameProperty(rng: Rng, person: Person): Properties {
  if (person.name === '' || !rng.chance(0.92)) return {};
  return { $name: rng.chance(0.05) ? person.given : person.name };
}

function emailProperty(state: DatasetState, account: Account): Properties {
  const { rng } = state;
  if (rng.chance(0.06)) return {};
  // An address the person has since changed in the directory; notices go to the current one.
  if (rng.chance(0.01)) return { $email: outsiderEmail(state, account.slugs, account.culture) };
  return { $email: account.email };
}

/** The SDK properties every profile may carry, whoever it belongs to. */
function visitorProperties(rng: Rng, country: string): Properties {
  return merge(
    geoProperties(rng, country),
    deviceProperties(rng),
    referralProperties(rng),
    timeProperties(rng),
  );
}

function geoProperties(rng: Rng, country: string): Properties {
  if (rng.chance(0.07)) return {};
  const seenIn = rng.chance(0.05) ? rng.pick(GEO_COUNTRIES) : country;
  const { city, region, timezone } = rng.pick(citiesOf(seenIn));
  const coarse = { $region: region, $country_code: seenIn, $timezone: timezone };
  return rng.chance(0.05) ? coarse : { $city: city, ...coarse };
}

function deviceProperties(rng: Rng): Properties {
  if (rng.chance(0.04)) return {};
  const { os, browsers } = pickWeighted(rng, PLATFORMS);
  const browser = rng.pick(browsers);
  if (rng.chance(0.05)) return { $os: os, $browser: browser };
  return { $os: os, $browser: browser, $browser_version: browserVersion(rng, browser) };
}

function browserVersion(rng: Rng, browser: string): number | string {
  if (browser === 'Safari' || browser === 'Mobile Safari') return rng.pick(SAFARI_VERSIONS);
  const [low, high] = MAJOR_VERSIONS[browser] ?? [1, 1];
  const major = low + rng.int(high - low + 1);
  // Older SDK builds sent the full version string instead of a number.
  return rng.chance(0.1) ? `${major}.0.${6000 + rng.int(1500)}.${rng.int(200)}` : major;
}

function referralProperties(rng: Rng): Properties {
  const utm = rng.chance(0.12) ? campaignProperties(rng) : {};
  if (rng.chance(0.15)) return utm;
  if (rng.chance(0.5)) return { $initial_referrer: '$direct', $initial_referring_domain: '$direct', ...utm };
  const { url, domain } = rng.pick(REFERRERS);
  return { $initial_referrer: url, $initial_referring_domain: domain, ...utm };
}

function campaignProperties(rng: Rng): Properties {
  const [source, campaign] = rng.pick(CAMPAIGNS);
  return { initial_utm_source: source, initial_utm_campaign: campaign };
}

function timeProperties(rng: Rng): Properties {
  const created = CREATED_FROM + rng.int(EXPORTED_AT - CREATED_FROM);
  // Most people were active shortly before the export.
  const lastSeen = Math.floor(EXPORTED_AT - (EXPORTED_AT - created) * rng.next() ** 3);
  return merge(
    maybe(rng, 0.97, { $created: mixpanelTime(created) }),
    maybe(rng, 0.99, { $last_seen: mixpanelTime(lastSeen) }),
  );
}

function mixpanelTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

function deviceId(rng: Rng): string {
  const id = `${rng.hex(13)}-${rng.hex(13)}-${rng.hex(8)}-${rng.hex(6)}-${rng.hex(13)}`;
  // Identity merge prefixes anonymous ids; profiles from older SDK versions carry the bare id.
  return rng.chance(0.8) ? `$device:${id}` : id;
}

function unknownUserId(state: DatasetState): string {
  let id = `user-${state.rng.hex(24)}`;
  while (state.directory.ids.has(id)) id = `user-${state.rng.hex(24)}`;
  return id;
}

function outsiderId(state: DatasetState): string | number {
  const roll = state.rng.next();
  if (roll < 0.45) return unknownUserId(state);
  if (roll < 0.9) return deviceId(state.rng);
  return 10_000 + state.rng.int(900_000);
}

function outsiderEmail(state: DatasetState, slugs: readonly [string, string], home: Culture): string {
  const { rng } = state;
  const roll = rng.next();
  const colleagueOrg = rng.pick(state.directory.organizations);
  const domain =
    roll < 0.3 && colleagueOrg.domain !== undefined
      ? colleagueOrg.domain
      : roll < 0.4
        ? rng.pick(ACADEMIC_DOMAINS)
        : webmailDomain(rng, home);
  return claimEmail(rng, state.emails, localPart(rng, slugs, false), domain);
}

/** An address the directory does not know, sometimes one an earlier outsider profile already used. */
function outsider(state: DatasetState): { email: string; name: string; country: string } {
  const { rng } = state;
  const home = pickWeighted(rng, CULTURE_WEIGHTS);
  const country = rng.pick(home.countries);
  const earlier = state.outsiders.length > 0 && rng.chance(0.1);
  if (earlier) {
    const index = rng.int(state.outsiders.length);
    const [again] = state.outsiders.splice(index, 1);
    if (again !== undefined) return { ...again, country };
  }
  const person = personOf(rng, home);
  const entry = { email: outsiderEmail(state, person.slugs, home), name: person.name };
  state.outsiders.push(entry);
  return { ...entry, country };
}

function strangerProfile(state: DatasetState, name?: string): Profile {
  const { rng } = state;
  const found = outsider(state);
  return {
    $distinct_id: outsiderId(state),
    $properties: merge(
      name === undefined ? maybe(rng, 0.85, { $name: found.name }) : { $name: name },
      { $email: found.email },
      visitorProperties(rng, found.country),
      maybe(rng, 0.3, { org_id: rng.pick(state.directory.organizations).id }),
    ),
  };
}

function deviceEmailProfile(state: DatasetState): Profile {
  const { rng } = state;
  let account = anyAccount(state);
  while (state.directory.sharing.has(account)) account = anyAccount(state);
  return {
    $distinct_id: deviceId(rng),
    $properties: merge(
      nameProperty(rng, account),
      { $email: spelledDifferently(rng, account.email) },
      visitorProperties(rng, account.country),
    ),
  };
}

/** The same address as the directory's, in other capitals or with surrounding spaces. */
function spelledDifferently(rng: Rng, email: string): string {
  const roll = rng.next();
  const cased = roll < 0.35 ? email.toUpperCase() : roll < 0.7 ? titleCaseLocal(email.toLowerCase()) : email;
  if (cased !== email && rng.chance(0.7)) return cased;
  return rng.pick([` ${cased}`, `${cased} `, `  ${cased} `]);
}

function uncontactableProfile(state: DatasetState): Profile {
  const { rng } = state;
  return {
    $distinct_id: rng.chance(0.8) ? deviceId(rng) : unknownUserId(state),
    $properties: merge(
      visitorProperties(rng, rng.pick(GEO_COUNTRIES)),
      maybe(rng, 0.05, { org_id: rng.pick(state.directory.organizations).id }),
    ),
  };
}

function ambiguousProfile(state: DatasetState): Profile {
  const { rng, directory } = state;
  const index = state.counters.ambiguous++;
  const shared = at(directory.sharedEmails, index % directory.sharedEmails.length);
  return {
    $distinct_id: deviceId(rng),
    $properties: merge(
      { $email: caseVariant(shared, index) },
      visitorProperties(rng, rng.pick(GEO_COUNTRIES)),
    ),
  };
}

function hostileNameProfile(state: DatasetState): Profile {
  const account = at(state.directory.hostile, state.counters.hostile++ % state.directory.hostile.length);
  const profile = accountProfile(state, account);
  return { ...profile, $properties: { ...profile.$properties, $name: account.name, $email: account.email } };
}

function crlfNameProfile(state: DatasetState): Profile {
  return strangerProfile(state, 'Mallory Ops\r\nBcc: all-staff@example.com');
}

function protoKeyProfile(state: DatasetState): Profile {
  const profile = accountProfile(state, anyAccount(state));
  const polluting: Properties = {
    ['__proto__']: { isAdmin: true },
    constructor: { prototype: { polluted: true } },
  };
  // Spread, not Object.assign: assigning `__proto__` would set the prototype instead of adding the key.
  return { ...profile, $properties: { ...profile.$properties, ...polluting } };
}

/** What a broken export contains: a cut-off record, stray values, non-JSON, a record without identity. */
const MALFORMED: readonly ((sample: string, id: string) => string)[] = [
  (sample) => sample.slice(0, Math.floor(sample.length * 0.6)),
  (_, id) => JSON.stringify(id),
  (sample) => sample.replace('"$properties":{', () => '"$properties":{"$browser_version":undefined,'),
  () => '{}',
  (sample) => `${sample.slice(0, -1)},}`,
  () => 'null',
  () => '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
];

function malformedLine(state: DatasetState): string {
  const account = anyAccount(state);
  const sample = JSON.stringify(accountProfile(state, account));
  const broken = at(MALFORMED, state.counters.malformed++ % MALFORMED.length);
  return broken(sample, account.id);
}

// ---------------------------------------------------------------------------------------------
// Streaming output

async function writeLines(path: string, lines: Iterable<string>, options: { gzip?: boolean } = {}) {
  const source = Readable.from(chunks(lines));
  const sink = createWriteStream(path);
  await (options.gzip === true ? pipeline(source, createGzip(), sink) : pipeline(source, sink));
}

/** Batches lines so the stream moves 64 KiB at a time instead of one small string per row. */
function* chunks(lines: Iterable<string>, size = 1 << 16): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
