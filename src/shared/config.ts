// What every service of the edge is configured with: region, account, and Cognito's issuer and outbox.

export interface ServerConfig {
  region: string;
  /** Account id in ARNs. */
  accountId: string;
  /**
   * Issuer base: tokens carry `iss = <issuerBase>/<userPoolId>`. Default AWS's form
   * `https://cognito-idp.<region>.amazonaws.com` so aws-jwt-verify accepts the tokens.
   */
  issuerBase: string;
  /** Record every message the pool would send (codes, temporary passwords). */
  outbox: boolean;
}
