import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { isUserError } from '../core/errors.js';
import { verifyPage, type VerifyPageModel } from './pages.js';
import { VerifyRequest } from './routes/public.routes.js';

/**
 * `/verify`: a plain HTML form, no script, posting back to itself. Its own scope parses the
 * form encoding, so the JSON API stays JSON-only.
 */
export function registerVerifyPage(server: FastifyInstance, app: App): void {
  const { company } = app.config;
  const model = (referenceCode: string): VerifyPageModel => ({
    company: company.name,
    officialDomains: company.sendingDomains,
    contactEmail: company.contactEmail,
    referenceCode,
  });
  void server.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.get<{ Querystring: { code?: string } }>(
      '/verify',
      { schema: { querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 40 })) }) } },
      (request, reply) =>
        reply.type('text/html; charset=utf-8').send(verifyPage(model(request.query.code ?? ''))),
    );
    scope.post<{ Body: Static<typeof VerifyRequest> }>(
      '/verify',
      {
        schema: { body: VerifyRequest },
        attachValidation: true,
      },
      async (request, reply) => {
        const body = request.body as Partial<Static<typeof VerifyRequest>> | undefined;
        const code = typeof body?.referenceCode === 'string' ? body.referenceCode.slice(0, 40) : '';
        reply.type('text/html; charset=utf-8');
        if (request.validationError) {
          return reply.status(400).send(
            verifyPage({
              ...model(code),
              result: { refused: 'Enter the reference code and a valid email address.' },
            }),
          );
        }
        try {
          await app.access.admitVerify(request.ip);
          const answer = await app.notices.verifyForReader(request.body.referenceCode, request.body.address);
          return reply.send(verifyPage({ ...model(code), result: answer }));
        } catch (error) {
          if (!isUserError(error) || error.kind !== 'rate-limited') throw error;
          return reply.status(429).send(verifyPage({ ...model(code), result: { refused: error.message } }));
        }
      },
    );
    done();
  });
}
