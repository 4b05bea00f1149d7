import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyInstance } from 'fastify';

/** helmet's defaults, except a CSP that lets Swagger UI run. */
export const SECURITY_HEADER_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      // Swagger UI runs inline scripts and styles.
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      // helmet's default would send Swagger UI's assets to https:// when served over plain HTTP.
      upgradeInsecureRequests: null,
    },
  },
};

/** One step of what helmet does to a response: set `name` to `value`, or remove `name` (value null). */
export type HeaderStep = readonly [name: string, value: string | null];

/**
 * What helmet does to every response under `options`, worked out once by running helmet against
 * a stand-in response that records its calls. (helmet builds its middleware, CSP parsing included,
 * each time it is called; @fastify/helmet called it on every request.) Only valid for headers that
 * do not depend on the request: a helmet that reads anything of the request or the response
 * besides setting and removing headers (a CSP directive computed per request, say) is refused here.
 */
export function helmetHeaderSteps(options: HelmetOptions): HeaderStep[] {
  const steps: HeaderStep[] = [];
  const refuse = (what: string) => {
    throw new Error(`helmet reads ${what}: its headers depend on the request and cannot be computed once`);
  };
  const request = new Proxy({}, { get: (_target, key) => refuse(`request.${String(key)}`) });
  const recorder = {
    setHeader: (name: string, value: string) => steps.push([name, value]),
    removeHeader: (name: string) => steps.push([name, null]),
  };
  const response = new Proxy(recorder, {
    get: (target, key) => (key in target ? target[key as keyof typeof target] : refuse(`response.${String(key)}`)),
  });
  let finished = false;
  helmet(options)(request as never, response as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return steps;
}

/**
 * Gives every response that reaches Fastify's `onRequest` hooks helmet's headers (errors, 404s and
 * Swagger UI included), in helmet's order, on the Node response as helmet itself would.
 */
export function addSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions = SECURITY_HEADER_OPTIONS): void {
  const steps = helmetHeaderSteps(options);
  fastify.addHook('onRequest', function securityHeaders(_request, reply, done) {
    const raw = reply.raw;
    for (const [name, value] of steps) {
      if (value === null) raw.removeHeader(name);
      else raw.setHeader(name, value);
    }
    done();
  });
}
