/** The dashboard function's own small HTML answers: nothing from the request is echoed in them. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { securityHeaders } from './security-headers.ts';
import { REVALIDATE } from './static-files.ts';

const HTML = 'text/html; charset=utf-8';

export const PAGES = {
  notFound: { status: 404, title: 'Not found', text: 'There is no such file in the dashboard.' },
  notBuilt: {
    status: 503,
    title: 'The dashboard is not built',
    text: 'Run <code>npm run build:dashboard</code>, then reload this page.',
  },
  methodNotAllowed: { status: 405, title: 'Method not allowed', text: 'The dashboard answers GET and HEAD.' },
  notAcceptable: {
    status: 406,
    title: 'Not acceptable',
    text: 'This file is too large to send uncompressed: send <code>Accept-Encoding: gzip</code>.',
  },
  error: { status: 500, title: 'Internal error', text: 'The dashboard could not be served.' },
} as const;

export type Page = (typeof PAGES)[keyof typeof PAGES];

export function page(
  { status, title, text }: Page,
  method: string,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Hookchain</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:4rem auto;max-width:36rem;padding:0 1rem;color:#222}</style>
</head><body><h1>${title}</h1><p>${text}</p></body></html>
`;
  return {
    statusCode: status,
    headers: { 'content-type': HTML, 'cache-control': REVALIDATE, ...securityHeaders(HTML), ...headers },
    body: method === 'HEAD' ? '' : body,
  };
}
