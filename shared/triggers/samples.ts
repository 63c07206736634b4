/**
 * Realistic sample events, one per trigger: what the testing kit and the dashboard's test panel
 * start from. Values are fictional but shaped exactly as Auth0 sends them.
 */
import type { JsonObject } from './framework.ts';

const TENANT = { id: 'acme-dev' };
const HOSTNAME = 'login.acme.test';

const request = (extra: JsonObject = {}): JsonObject => ({
  ip: '203.0.113.42',
  asn: 'AS64500',
  hostname: HOSTNAME,
  method: 'POST',
  language: 'en-GB,en;q=0.9',
  user_agent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  query: {},
  body: {},
  geoip: {
    cityName: 'Leeds',
    continentCode: 'EU',
    countryCode: 'GB',
    countryCode3: 'GBR',
    countryName: 'United Kingdom',
    latitude: 53.7997,
    longitude: -1.5492,
    subdivisionCode: 'LDS',
    subdivisionName: 'Leeds',
    timeZone: 'Europe/London',
  },
  ...extra,
});

const client = (): JsonObject => ({
  client_id: 'aK3vQp9ZtR7mW2xY8nB4cD6fG1hJ5kL0',
  name: 'Acme Web',
  metadata: { tier: 'standard' },
});

const connection = (): JsonObject => ({
  id: 'con_6Wq2Lx9Tz4Rb1Kp8',
  name: 'Username-Password-Authentication',
  strategy: 'auth0',
  metadata: {},
});

const identities = () => [
  {
    connection: 'Username-Password-Authentication',
    provider: 'auth0',
    user_id: '64b7f2c9e1a2b3c4d5e6f708',
    isSocial: false,
  },
];

const user = (extra: JsonObject = {}): JsonObject => ({
  user_id: 'auth0|64b7f2c9e1a2b3c4d5e6f708',
  email: 'ada.lovelace@acme.test',
  email_verified: true,
  username: 'ada',
  name: 'Ada Lovelace',
  nickname: 'ada',
  given_name: 'Ada',
  family_name: 'Lovelace',
  picture: 'https://avatars.acme.test/ada.png',
  phone_number: '+447700900123',
  phone_verified: true,
  created_at: '2025-02-11T09:14:03.512Z',
  updated_at: '2026-11-20T17:02:44.001Z',
  last_password_reset: '2026-06-01T08:00:00.000Z',
  app_metadata: { plan: 'pro' },
  user_metadata: { locale: 'en-GB' },
  identities: identities(),
  ...extra,
});

const riskAssessment = () => ({
  confidence: 'high',
  version: '1',
  assessments: {
    UntrustedIP: { confidence: 'high', code: 'not_found_on_deny_list' },
    NewDevice: { confidence: 'high', code: 'match' },
    ImpossibleTravel: { confidence: 'high', code: 'minimal_travel_from_last_login' },
  },
});

const common = (): JsonObject => ({ tenant: TENANT, secrets: {}, configuration: {} });

export const samplePostLoginEvent: JsonObject = {
  ...common(),
  transaction: {
    id: 'txn_Zp4Qm8Wn2Xr6Ts1V',
    acr_values: [],
    locale: 'en',
    protocol: 'oidc-basic-profile',
    redirect_uri: 'https://app.acme.test/callback',
    requested_scopes: ['openid', 'profile', 'email'],
    response_mode: 'query',
    response_type: ['code'],
    state: 'c2FtcGxlLXN0YXRl',
    ui_locales: ['en'],
    correlation_id: 'corr_8d2f6a1b',
    metadata: {},
  },
  authentication: {
    methods: [{ name: 'pwd', timestamp: '2026-11-23T10:15:22.000Z' }],
    riskAssessment: riskAssessment(),
  },
  authorization: { roles: ['editor'] },
  client: {
    ...client(),
    refresh_token: { policies: [] },
  },
  connection: connection(),
  organization: { id: 'org_R2d4F6h8J0k2', name: 'acme', display_name: 'Acme Ltd', metadata: {} },
  request: request({
    method: 'GET',
    query: { audience: 'https://api.acme.test', scope: 'openid profile email' },
  }),
  resource_server: { identifier: 'https://api.acme.test' },
  session: {
    id: 'sess_Qm3Lp7Xz1Vb5',
    created_at: '2026-11-23T10:15:22.000Z',
    authenticated_at: '2026-11-23T10:15:22.000Z',
    device: { last_ip: '203.0.113.42' },
    metadata: {},
  },
  stats: { logins_count: 42 },
  user: user({ multifactor: [], enrolledFactors: [{ type: 'otp' }] }),
};

export const sampleCredentialsExchangeEvent: JsonObject = {
  ...common(),
  accessToken: { customClaims: {}, scope: ['read:reports'] },
  client: client(),
  request: request({ body: { grant_type: 'client_credentials', audience: 'https://api.acme.test' } }),
  resource_server: { identifier: 'https://api.acme.test' },
  transaction: { requested_scopes: ['read:reports', 'write:reports'], correlation_id: 'corr_4a9b7c1d' },
};

export const samplePreUserRegistrationEvent: JsonObject = {
  ...common(),
  authentication: { riskAssessment: { supplemental: {} } },
  client: client(),
  connection: connection(),
  request: request({ body: { 'ulp-fullName': 'Grace Hopper' } }),
  transaction: {
    locale: 'en',
    protocol: 'oidc-basic-profile',
    requested_scopes: ['openid', 'profile'],
    ui_locales: ['en'],
    correlation_id: 'corr_1f2e3d4c',
  },
  user: {
    email: 'grace.hopper@acme.test',
    username: 'grace',
    name: 'Grace Hopper',
    given_name: 'Grace',
    family_name: 'Hopper',
    app_metadata: {},
    user_metadata: {},
  },
};

export const samplePostUserRegistrationEvent: JsonObject = {
  ...common(),
  connection: connection(),
  request: request(),
  transaction: { locale: 'en', protocol: 'oidc-basic-profile', requested_scopes: ['openid'] },
  user: user({
    user_id: 'auth0|65c1a2b3c4d5e6f708192a3b',
    email: 'grace.hopper@acme.test',
    email_verified: false,
    username: 'grace',
    name: 'Grace Hopper',
    nickname: 'grace',
    given_name: 'Grace',
    family_name: 'Hopper',
    created_at: '2026-11-23T10:20:00.000Z',
    updated_at: '2026-11-23T10:20:00.000Z',
    app_metadata: {},
    user_metadata: {},
  }),
};

export const samplePostChangePasswordEvent: JsonObject = {
  ...common(),
  connection: connection(),
  request: request(),
  transaction: { correlation_id: 'corr_7e6d5c4b' },
  user: {
    user_id: 'auth0|64b7f2c9e1a2b3c4d5e6f708',
    email: 'ada.lovelace@acme.test',
    email_verified: true,
    username: 'ada',
    phone_number: '+447700900123',
    phone_verified: true,
    last_password_reset: '2026-11-23T10:30:00.000Z',
  },
};

export const sampleSendPhoneMessageEvent: JsonObject = {
  ...common(),
  client: client(),
  message_options: {
    action: 'second-factor-authentication',
    code: '482913',
    message_type: 'sms',
    recipient: '+447700900123',
    text: 'Your Acme verification code is 482913',
  },
  request: request(),
  transaction: { correlation_id: 'corr_2b3c4d5e' },
  user: user(),
};

export const samplePasswordResetPostChallengeEvent: JsonObject = {
  ...common(),
  authentication: {
    methods: [{ name: 'email', timestamp: '2026-11-23T10:40:00.000Z' }],
    riskAssessment: riskAssessment(),
  },
  authorization: { roles: ['editor'] },
  client: client(),
  connection: connection(),
  request: request({ query: {}, body: {} }),
  stats: { logins_count: 42 },
  transaction: {
    locale: 'en',
    state: 'cmVzZXQtc3RhdGU',
    ui_locales: ['en'],
    correlation_id: 'corr_9c8b7a6d',
  },
  user: user({ enrolledFactors: [{ type: 'otp' }, { type: 'email' }] }),
};
