/** Where a staff user manages their second factors. */
export const SECURITY_PATH = '/security';
