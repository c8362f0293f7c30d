import { createHash, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../adapters/password-hasher.js';
import { UserError } from '../core/errors.js';
import { isPlausibleAddress, normalizeEmail } from '../core/identity.js';
import { base32Encode, checkTotp, otpauthUri } from '../core/totp.js';
import type { AppUserRow } from '../db/access.repository.js';
import { recordAudit } from './audit.js';
import { ROLES, type Caller, type Role } from './caller.js';
import type { ServiceDeps } from './service-deps.js';

export interface AccessServiceDeps extends ServiceDeps {
  hasher: PasswordHasher;
  random: (size: number) => Buffer;
  /** Shown as the issuer in authenticator apps. */
  issuer: string;
}

/** Limits, in one place so the docs can quote them. */
export const ACCESS_LIMITS = {
  sessionIdleMs: 2 * 3600_000,
  sessionMaxMs: 12 * 3600_000,
  /** Failed logins per address and per client IP within the window, before 429. */
  loginFailuresPerEmail: 5,
  loginFailuresPerIp: 20,
  loginWindowMs: 15 * 60_000,
  /** Verify-page checks per client IP per minute. */
  verifyPerIpPerMinute: 20,
  minPasswordLength: 12,
  /** A session's last-seen time is written at most this often, so reads stay reads. */
  touchEveryMs: 60_000,
} as const;

export interface SessionCaller extends Caller {
  sessionHash: string;
  csrfToken: string;
}

export interface LoginInput {
  email: string;
  password: string;
  code?: string | undefined;
  ip: string;
  /** The session cookie the browser sent, if any: it is ended, never reused (no fixation). */
  previousSession?: string | undefined;
}

const WRONG = 'wrong email, password or code';

/**
 * Users, passwords (scrypt), TOTP, sessions, API tokens and the rate limits around them. Session
 * ids and tokens are random and stored only as SHA-256, so the database cannot be used to log in.
 */
export class AccessService {
  constructor(private readonly deps: AccessServiceDeps) {}

  async addUser(input: { email: string; role: string; password: string; totp?: boolean }) {
    const email = normalizeEmail(input.email);
    if (!isPlausibleAddress(email)) throw new UserError(`"${input.email}" is not an email address`);
    const role = parseRole(input.role);
    if (input.password.length < ACCESS_LIMITS.minPasswordLength) {
      throw new UserError(`the password must have at least ${ACCESS_LIMITS.minPasswordLength} characters`);
    }
    // MFA is mandatory for whoever can change things or read exposed values.
    const withTotp = role !== 'viewer' || input.totp !== false;
    const secret = withTotp ? this.deps.random(20) : null;
    const user: AppUserRow = {
      id: this.deps.ids.next('usr'),
      email,
      role,
      password_hash: await this.deps.hasher.hash(input.password),
      totp_sealed: secret ? this.deps.box.seal(secret.toString('base64')) : null,
      totp_last_step: null,
      created_at: this.now(),
      disabled_at: null,
    };
    await this.deps.uow.transaction(async (repos) => {
      if (await repos.access.findUserByEmail(email))
        throw new UserError(`user ${email} already exists`, {}, 'conflict');
      await repos.access.insertUser(user);
      await recordAudit(repos, this.deps, 'user.add', null, { userId: user.id, email, role });
    });
    return {
      id: user.id,
      email,
      role,
      totp: secret
        ? { uri: otpauthUri(this.deps.issuer, email, secret), secret: base32Encode(secret) }
        : null,
    };
  }

  async listUsers() {
    const rows = await this.deps.uow.repos.access.listUsers();
    return rows.map((row) => ({
      email: row.email,
      role: row.role,
      createdAt: row.created_at,
      disabled: row.disabled_at !== null,
    }));
  }

  countUsers(): Promise<number> {
    return this.deps.uow.repos.access.countUsers();
  }

  /** Ends every session of the user at once; their tokens stop working too. */
  async disableUser(emailText: string): Promise<void> {
    const email = normalizeEmail(emailText);
    await this.deps.uow.transaction(async (repos) => {
      const user = await repos.access.findUserByEmail(email);
      if (!user) throw new UserError(`unknown user ${email}`, {}, 'not-found');
      await repos.access.disableUser(user.id, this.now());
      await repos.access.deleteSessionsOf(user.id);
      await recordAudit(repos, this.deps, 'user.disable', null, { userId: user.id, email });
    });
  }

  async login(input: LoginInput) {
    const { access } = this.deps.uow.repos;
    const email = normalizeEmail(input.email);
    const buckets = [`login-email:${this.deps.box.hash(email)}`, `login-ip:${input.ip}`];
    const since = new Date(this.deps.clock.now().getTime() - ACCESS_LIMITS.loginWindowMs).toISOString();
    const [byEmail, byIp] = await Promise.all(buckets.map((bucket) => access.countEvents(bucket, since)));
    if (byEmail! >= ACCESS_LIMITS.loginFailuresPerEmail || byIp! >= ACCESS_LIMITS.loginFailuresPerIp) {
      await this.audit('login.refused', { email, ip: input.ip, reason: 'rate limit' }, email);
      throw new UserError('too many failed logins: wait a few minutes', {}, 'rate-limited');
    }
    if (input.previousSession) await access.deleteSession(sha256(input.previousSession));
    const user = await access.findUserByEmail(email);
    const reason = await this.refusal(user, input);
    if (reason !== null || !user) {
      await this.deps.uow.transaction(async (repos) => {
        for (const bucket of buckets) await repos.access.insertEvent(bucket, this.now());
        await repos.access.deleteEventsBefore(
          new Date(this.deps.clock.now().getTime() - 3_600_000).toISOString(),
        );
        await recordAudit(repos, { ...this.deps, actor: email }, 'login.failed', null, {
          ip: input.ip,
          reason,
        });
      });
      throw new UserError(WRONG, {}, 'unauthorized');
    }
    const sessionId = this.deps.random(32).toString('base64url');
    const csrfToken = this.deps.random(32).toString('base64url');
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + ACCESS_LIMITS.sessionIdleMs).toISOString();
    await this.deps.uow.transaction(async (repos) => {
      await repos.access.deleteExpiredSessions(now.toISOString());
      await repos.access.insertSession({
        id_hash: sha256(sessionId),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        last_seen_at: now.toISOString(),
      });
      await recordAudit(repos, { ...this.deps, actor: email }, 'login', null, { ip: input.ip });
    });
    return { sessionId, csrfToken, expiresAt, user: { email, role: user.role } };
  }

  /** The caller behind a session cookie, or null when it is unknown, expired or its user disabled. */
  async sessionCaller(sessionId: string): Promise<SessionCaller | null> {
    const { access } = this.deps.uow.repos;
    const idHash = sha256(sessionId);
    const now = this.deps.clock.now();
    const session = await access.findSession(idHash, now.toISOString());
    if (!session) return null;
    if (now.getTime() - Date.parse(session.last_seen_at) > ACCESS_LIMITS.touchEveryMs) {
      const idle = now.getTime() + ACCESS_LIMITS.sessionIdleMs;
      const max = Date.parse(session.created_at) + ACCESS_LIMITS.sessionMaxMs;
      await access.touchSession(idHash, now.toISOString(), new Date(Math.min(idle, max)).toISOString());
    }
    return { actor: session.email, role: session.role, sessionHash: idHash, csrfToken: session.csrf_token };
  }

  async logout(sessionHash: string, caller: Caller): Promise<void> {
    await this.deps.uow.transaction(async (repos) => {
      await repos.access.deleteSession(sessionHash);
      await recordAudit(repos, { ...this.deps, actor: caller.actor }, 'logout', null, {});
    });
  }

  /** The caller behind an API token; tokens are for automation, so their actor names the token. */
  async tokenCaller(token: string): Promise<Caller | null> {
    const { access } = this.deps.uow.repos;
    const found = await access.findToken(sha256(token));
    if (!found) return null;
    const now = this.deps.clock.now();
    if (
      found.last_used_at === null ||
      now.getTime() - Date.parse(found.last_used_at) > ACCESS_LIMITS.touchEveryMs
    )
      await access.touchToken(found.id, now.toISOString());
    return { actor: `${found.email} (token ${found.name})`, role: found.role };
  }

  async createToken(emailText: string, name: string): Promise<{ id: string; token: string }> {
    const email = normalizeEmail(emailText);
    const label = name.trim();
    if (label.length === 0) throw new UserError('--name must name what the token is for');
    const token = `bdt_${this.deps.random(32).toString('base64url')}`;
    const id = this.deps.ids.next('tok');
    await this.deps.uow.transaction(async (repos) => {
      const user = await repos.access.findUserByEmail(email);
      if (!user) throw new UserError(`unknown user ${email}`, {}, 'not-found');
      await repos.access.insertToken({
        id,
        token_hash: sha256(token),
        user_id: user.id,
        name: label,
        created_at: this.now(),
        last_used_at: null,
      });
      await recordAudit(repos, this.deps, 'token.create', null, { tokenId: id, email, name: label });
    });
    return { id, token };
  }

  async listTokens() {
    const rows = await this.deps.uow.repos.access.listTokens();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
    }));
  }

  async revokeToken(id: string): Promise<void> {
    await this.deps.uow.transaction(async (repos) => {
      if ((await repos.access.deleteToken(id)) === 0)
        throw new UserError(`unknown token ${id}`, {}, 'not-found');
      await recordAudit(repos, this.deps, 'token.revoke', null, { tokenId: id });
    });
  }

  /** Counts one verify-page check of this client; refuses beyond the per-minute limit. */
  async admitVerify(ip: string): Promise<void> {
    const { access } = this.deps.uow.repos;
    const bucket = `verify-ip:${ip}`;
    const since = new Date(this.deps.clock.now().getTime() - 60_000).toISOString();
    if ((await access.countEvents(bucket, since)) >= ACCESS_LIMITS.verifyPerIpPerMinute) {
      throw new UserError('too many checks from your network: wait a minute', {}, 'rate-limited');
    }
    await access.insertEvent(bucket, this.now());
  }

  /** Why a login is refused, or null; every path costs one scrypt, so timing tells nothing. */
  private async refusal(user: AppUserRow | undefined, input: LoginInput): Promise<string | null> {
    const passwordOk = await this.deps.hasher.verify(input.password, user?.password_hash ?? DUMMY_HASH);
    if (!user || user.disabled_at !== null) return 'unknown or disabled user';
    if (!passwordOk) return 'wrong password';
    if (user.totp_sealed === null) return user.role === 'viewer' ? null : 'no second factor enrolled';
    const secret = Buffer.from(this.deps.box.open(user.totp_sealed), 'base64');
    const check = checkTotp(secret, input.code ?? '', this.deps.clock.now());
    if (!check.ok) return `code ${check.reason}`;
    const fresh = await this.deps.uow.repos.access.advanceTotpStep(user.id, check.step);
    return fresh ? null : 'code already used';
  }

  private async audit(action: string, detail: Record<string, unknown>, actor: string): Promise<void> {
    await this.deps.uow.transaction((repos) =>
      recordAudit(repos, { ...this.deps, actor }, action, null, detail),
    );
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

export function parseRole(text: string): Role {
  const role = ROLES.find((name) => name === text.trim().toLowerCase());
  if (!role) throw new UserError(`--role must be one of ${ROLES.join(', ')}, not "${text}"`);
  return role;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A well-formed hash nobody knows the password of, verified when the email is unknown. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
