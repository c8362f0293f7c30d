/** Reference tables the demo case draws people, places, companies and devices from. */

type NameOrder = 'given-family' | 'family-given' | 'family-given-joined';

interface NameEntry {
  native: string;
  latin: string;
}

export interface Culture {
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

export const CULTURES: readonly Culture[] = [
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

export const CULTURE_WEIGHTS = CULTURES.map((entry) => [entry, entry.weight] as const);

export const GLOBAL_WEBMAIL = words(
  'gmail.com gmail.com gmail.com outlook.com hotmail.com yahoo.com icloud.com proton.me',
);
export const ACADEMIC_DOMAINS = words(
  'stanford.edu mit.edu tum.de ox.ac.uk u-tokyo.ac.jp ethz.ch iitb.ac.in',
);

export interface City {
  city: string;
  region: string;
  timezone: string;
}

/** Country code → `City|Region|Time zone` entries, as Mixpanel's IP geolocation reports them. */
export const GEO: ReadonlyMap<string, readonly City[]> = new Map(
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
export const GEO_COUNTRIES = [...GEO.keys()];

function parseCities(text: string): City[] {
  return text.split(';').map((entry) => {
    const [city = '', region = '', timezone = ''] = entry.trim().split('|');
    return { city, region, timezone };
  });
}

export const ORG_ROOTS =
  words(`Northwind Blue_Heron Aster Lumen Kestrel Polaris Quarry Tidal Granite Saffron Meridian
  Helix Juniper Orbit Cobalt Vega Nimbus Fjord Sakura Mistral Andes Baobab Zenith Ember Atlas Pioneer Ridgeline
  Summit Harbor Lattice Vertex Quantum Beacon Cedar Falcon Oakwood Willow Indigo Crimson Silverline Redwood
  Bluefin Cascade Aurora Solstice Monsoon Sequoia Tundra Caravel Marigold Obsidian Pinnacle Riverbend
  Stonebridge Tessera Umbra Verdant Wavelength Yellowfin Alder Birch Condor Delta Ellipse Foxglove Gossamer
  Halcyon Ironclad Jasper Kinetic Lighthouse Magnolia Nova Onyx Prism Quill Rook Sable Thistle Vireo Wren
  Kōyō Élan Nordlys Brückner`);
export const ORG_KINDS =
  words(`Labs Analytics Robotics Health Systems AI Data Software Bio Capital Logistics Learning
  Studio Works Cloud Networks Security Energy Media Games Legal Insurance Foods Mobility Research Consulting
  Partners Ventures Retail Education Translation Design`);
export const ORG_WORD_ENDINGS = words('ly io ify hub base stack works lab');

export const PLATFORMS: readonly (readonly [{ os: string; browsers: readonly string[] }, number])[] = [
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
export const MAJOR_VERSIONS: Readonly<Record<string, readonly [number, number]>> = {
  Chrome: [120, 142],
  'Chrome iOS': [120, 142],
  Firefox: [115, 145],
  'Firefox iOS': [120, 145],
  'Microsoft Edge': [120, 142],
  Opera: [105, 123],
  'Samsung Internet': [23, 28],
};
export const SAFARI_VERSIONS = [16.6, 17.4, 17.6, 18.1, 18.3, 18.5, 18.6, 26, 26.1];

export const REFERRERS = words(`https://www.google.com/ https://www.google.com/ https://www.google.com/
  https://github.com/ https://news.ycombinator.com/ https://www.bing.com/ https://duckduckgo.com/ https://t.co/
  https://www.reddit.com/r/MachineLearning/ https://stackoverflow.com/questions/tagged/python
  https://www.linkedin.com/ https://www.youtube.com/ https://medium.com/ https://dev.to/
  https://www.producthunt.com/ https://mail.google.com/ https://www.google.de/ https://www.google.co.jp/
  https://search.naver.com/ https://www.baidu.com/`).map((url) => ({ url, domain: new URL(url).hostname }));
export const CAMPAIGNS = words(`google:brand-search newsletter:dev-digest-2025-09 twitter:launch-week
  linkedin:enterprise-webinar producthunt:launch partner:cloud-marketplace youtube:devday-recap`).map(
  (pair) => pair.split(':'),
);
