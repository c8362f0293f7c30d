import type { VerdictReason } from '../verdict.js';
import { reason } from './reason.js';

export const REQUEST_WEIGHTS = {
  password: 25,
  apiKey: 25,
  code: 25,
  payment: 20,
  wallet: 30,
  urgency: 10,
} as const;

/**
 * What the message asks the reader to hand over, in English, German, French, Spanish,
 * Portuguese, Italian, Russian, Japanese and Chinese. Most patterns need an asking verb near the
 * noun, so a receipt that mentions a card or a mail that gives a sign-in code does not count.
 */

// Whole words in alphabetic scripts (`tan` is not in `important`); CJK has no word breaks.
const START = '(?<![\\p{Script=Latin}\\p{Script=Cyrillic}])';
const END = '(?![\\p{Script=Latin}\\p{Script=Cyrillic}])';

function word(alternatives: string): string {
  return `${START}(?:${alternatives})${END}`;
}

/** Verb and noun within `gap` characters of each other, in either order, in one sentence. */
function near(verbs: string, nouns: string, gap = 50): string {
  const verb = word(verbs);
  const noun = word(nouns);
  return `${verb}[^.!?\\n。]{0,${gap}}${noun}|${noun}[^.!?\\n。]{0,${gap}}${verb}`;
}

// prettier-ignore
const VERBS = [
  // en
  'confirm', 'verify', 'enter', 're-?enter', 'update', 'provide', 'submit', 'send', 'share',
  'paste', 'reply with', 'forward', 'tell us', 'read (?:it )?back', 'validate', 'type',
  // de
  'bestätigen', 'bestätigung', 'eingeben', 'geben sie', 'aktualisieren', 'verifizieren', 'angeben',
  'senden sie', 'teilen sie', 'mitteilen', 'nennen sie', 'übermitteln', 'hinterlegen',
  // fr
  'confirme[rz]?', 'vérifie[rz]?', 'saisi(?:r|sse[rz])', 'entre[rz]', 'mettre à jour',
  'mettez à jour', 'fourni(?:r|sse[rz])', 'envoye[rz]', 'communique[rz]', 'transmett(?:re|ez)',
  'partage[rz]', 'indique[rz]',
  // es
  'confirm(?:ar|e)', 'verifi(?:car|que)', 'ingres(?:ar|e)', 'introduzca', 'introducir',
  'actuali(?:zar|ce)', 'proporcion(?:ar|e)', 'env[ií](?:ar|e)', 'compart(?:ir|a)',
  'facilít(?:enos|ame)', 'indíquenos',
  // pt
  'confirm(?:e|ar)', 'verifi(?:car|que)', 'insira', 'informe', 'digite', 'atualiz(?:e|ar)',
  'envie', 'compartilh(?:e|ar)',
  // it
  'conferma(?:re)?', 'verifica(?:re)?', 'inserisci', 'inserire', 'aggiorna(?:re)?', 'fornisci',
  'invia(?:re)?', 'comunica(?:re)?', 'condividi',
  // ru
  'подтвердите', 'введите', 'обновите', 'укажите', 'сообщите', 'отправьте', 'назовите',
  // ja
  '入力', '確認', '更新', '送信', '教えて', 'ご提供',
  // zh
  '输入', '确认', '验证', '更新', '提供', '发送', '告诉', '回复',
].join('|');

// prettier-ignore
const PASSWORD_NOUNS = [
  'password', 'passcode', 'login credentials', 'sign-?in details', 'passwort', 'kennwort',
  'zugangsdaten', 'mot de passe', 'identifiants', 'contraseña', 'credenciales', 'senha',
  'credenziali', 'пароль', 'パスワード', '密码',
].join('|');

// prettier-ignore
const ACCOUNT_CHECK = [
  '(?:verify|confirm|restore|unlock|reactivate|validate) your account',
  '(?:log|sign) ?in[^.!?\\n]{0,30}(?:verify|confirm|restore|unlock|avoid)',
  'konto[^.!?\\n]{0,20}(?:bestätigen|verifizieren|entsperren|reaktivieren)',
  '(?:vérifier|confirmer|vérifiez|confirmez|débloquer) votre compte',
  '(?:verificar|confirmar|verifique|confirme|desbloquear) su cuenta',
  '(?:verificar|confirmar|verifique|confirme|desbloquear) sua conta',
  '(?:verificare|confermare|verifica|conferma|sbloccare) il (?:tuo )?account',
  'подтвердите (?:ваш )?(?:аккаунт|учетную запись)', 'アカウント[をの]?(?:確認|認証)', '验证(?:您的)?(?:账户|帐户)',
].join('|');

// prettier-ignore
const API_KEY_NOUNS = [
  'api[ _-]?keys?', 'secret keys?', 'access tokens?', 'client secret', 'private keys?',
  'api[- ]?schlüssel', 'zugangstoken', "clé (?:d')?api", 'clé secrète', "jeton d'accès",
  'clave (?:de )?api', 'clave secreta', 'token de acceso', 'chave (?:de )?api', 'chave secreta',
  'token de acesso', 'chiave (?:di )?api', 'chiave segreta', 'token di accesso', 'api-ключ',
  'ключ api', 'apiキー', 'api ?密钥',
].join('|');

// prettier-ignore
const CODE_NOUNS = [
  'verification code', 'security code', 'one-time (?:pass)?code', 'otp', '2fa code', 'mfa code',
  'authentication code', 'sms code', 'code we (?:just )?sent', 'login code', 'bestätigungscode',
  'verifizierungscode', 'sicherheitscode', 'einmalcode', 'tan', 'code de vérification',
  'code de sécurité', 'code à usage unique', 'code de confirmation', 'código de verificación',
  'código de seguridad', 'código de un solo uso', 'código de verificação', 'código de segurança',
  'codice di verifica', 'codice di sicurezza', 'codice otp', 'код подтверждения', 'код из смс',
  '認証コード', '確認コード', 'ワンタイムパスワード', '验证码',
].join('|');

// prettier-ignore
const PAYMENT_NOUNS = [
  'payment (?:details|information|method)', 'billing (?:details|information)', 'credit card',
  'card (?:number|details)', 'bank (?:account|details)', 'gift ?cards?',
  'geschenk(?:karten?|gutscheine?)', 'cartes? cadeaux?', 'tarjetas? de regalo',
  'cartões?-presente', 'carte regalo', 'iban', 'wire transfer',
  'zahlungs(?:informationen|daten|methode)', 'kreditkarte', 'bankverbindung', 'überweisung',
  'informations de paiement', 'carte bancaire', 'carte de crédit', 'coordonnées bancaires',
  'virement', '(?:datos|información) de pago', 'tarjeta de crédito', 'datos bancarios',
  'transferencia', 'dados de pagamento', 'cartão de crédito', 'dados bancários', 'transferência',
  'dati di pagamento', 'carta di credito', 'coordinate bancarie', 'bonifico', 'данные карты',
  'банковские реквизиты', 'クレジットカード', '支払い情報', '銀行口座', '信用卡', '支付信息', '银行账户',
].join('|');

// prettier-ignore
const WALLET = [
  'seed phrase', 'recovery phrase', 'secret recovery', 'mnemonic phrase',
  'wallet (?:address|keys?|phrase)', 'seed-phrase', 'wiederherstellungsphrase',
  'phrase de récupération', 'frase de recuperación', 'frase de recuperação', 'frase di recupero',
  'сид-фраз', 'секретн\\S* фраз', 'リカバリーフレーズ', '助记词',
].join('|');

// prettier-ignore
const URGENCY = [
  'urgent', 'immediately', 'within (?:24|48|\\d{1,2}) hours', 'act now',
  'final (?:notice|warning)', 'last chance', 'expires? today',
  'account (?:will be|has been|is) (?:suspended|locked|closed|disabled|deleted|terminated)',
  'dringend', 'sofort', 'innerhalb von \\d+ stunden', 'wird gesperrt', 'letzte mahnung',
  'immédiatement', 'sous 24 ?h', 'dans les \\d+ heures', 'sera (?:suspendu|bloqué|désactivé)',
  'urgente', 'inmediatamente', 'en (?:las próximas )?\\d+ horas',
  'será (?:suspendida|bloqueada|cancelada)', 'imediatamente', 'em \\d+ horas',
  'será (?:suspensa|bloqueada)', 'immediatamente', 'entro \\d+ ore', 'sarà (?:sospeso|bloccato)',
  'срочно', 'немедленно', 'в течение \\d+ часов', 'будет заблокирован', '至急', '緊急', '\\d+時間以内',
  '(?:停止|凍結|ロック)され', '紧急', '立即', '\\d+小时内', '(?:冻结|停用|锁定)',
].join('|');

const ACCOUNT_CLUES = 'account|konto|compte|cuenta|conta|аккаунт|учетн|アカウント|账户|帐户|sign ?in|log ?in';

interface AskPattern {
  code: string;
  weight: number;
  /**
   * Ways the ask is made; it is made when one of them matches. Each `clue` is its pattern's nouns
   * alone, no word boundaries: cheap, and most mail fails it, so `pattern` rarely runs.
   */
  ways: { clue: RegExp; pattern: RegExp }[];
  sentence: string;
}

function ask(
  code: string,
  weight: number,
  sentence: string,
  ...ways: [clue: string, pattern: string][]
): AskPattern {
  return {
    code,
    weight,
    ways: ways.map(([clue, pattern]) => ({ clue: new RegExp(clue, 'u'), pattern: new RegExp(pattern, 'u') })),
    sentence,
  };
}

// Patterns run on lowercased text, so they carry no `i` flag (much faster with `u`).
const ASKS: readonly AskPattern[] = [
  ask(
    'asks_password',
    REQUEST_WEIGHTS.password,
    'It asks for a password or to sign in to "verify" an account.',
    [PASSWORD_NOUNS, near(VERBS, PASSWORD_NOUNS)],
    // Apart, so that the many mails naming an account do not run the password pattern.
    [ACCOUNT_CLUES, word(ACCOUNT_CHECK)],
  ),
  ask('asks_api_key', REQUEST_WEIGHTS.apiKey, 'It asks for an API key, token or secret.', [
    API_KEY_NOUNS,
    near(VERBS, API_KEY_NOUNS),
  ]),
  ask('asks_mfa_code', REQUEST_WEIGHTS.code, 'It asks for a verification or MFA code.', [
    CODE_NOUNS,
    near(VERBS, CODE_NOUNS),
  ]),
  ask('asks_payment', REQUEST_WEIGHTS.payment, 'It asks for payment or bank details.', [
    PAYMENT_NOUNS,
    near(VERBS, PAYMENT_NOUNS),
  ]),
  ask('asks_wallet', REQUEST_WEIGHTS.wallet, 'It asks for a crypto wallet recovery phrase or keys.', [
    WALLET,
    word(WALLET),
  ]),
];

const URGENCY_PATTERN = new RegExp(word(URGENCY), 'u');

/** Scans at most this much of subject and body; the asks of a lure come early. */
export const REQUEST_SCAN_CHARS = 32 * 1024;

export function requestSignals(subject: string, text: string): VerdictReason[] {
  const scanned = `${subject}\n${text.slice(0, REQUEST_SCAN_CHARS)}`.toLowerCase();
  const reasons = ASKS.filter((a) => a.ways.some((w) => w.clue.test(scanned) && w.pattern.test(scanned))).map(
    (a) => reason(a.code, a.weight, a.sentence),
  );
  // Urgency alone is ordinary (deadlines, sales); it counts only when something is asked for.
  if (reasons.length > 0 && URGENCY_PATTERN.test(scanned)) {
    reasons.push(reason('urgency', REQUEST_WEIGHTS.urgency, 'It pressures the reader to act at once.'));
  }
  return reasons;
}
