import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The security headers of every answer, as helmet sets them, taken once at
 * boot: with these options they depend on nothing in the request (no nonce,
 * no directive computed per request), so each answer gets the same set
 * without twelve middlewares building them again, the content security
 * policy's text included (docs/performance.md, issue 17, "Eighth pass").
 */
export function securityHeaders(apiUrl: string): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(helmetOptions(apiUrl))(
    { headers: {} } as IncomingMessage,
    res as unknown as ServerResponse,
    (err?: unknown) => {
      if (err) throw err;
      finished = true;
    },
  );
  // helmet's middlewares are synchronous: anything else would mean headers that vary
  if (!finished) throw new Error('helmet did not finish synchronously');
  return Object.freeze(headers);
}

function helmetOptions(apiUrl: string): Parameters<typeof helmet>[0] {
  const connect = ["'self'", ...(apiUrl ? [new URL(apiUrl).origin] : [])];
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Angular Material and Swagger UI set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // call recordings are played from the telephony provider's storage
        mediaSrc: ["'self'", 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: connect,
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // plain-http deployments (localhost, behind a TLS proxy) must not have requests rewritten to https
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  };
}
