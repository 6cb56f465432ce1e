export { type CallerScope, callerScope, type PreviewSecurity, tokenDashboard } from './caller.js';
export { DRILL_HEADER, drillDashboard, drillPath, MAX_DRILL_DEPTH } from './drill.js';
export { assertQueryInScope, queryMembers } from './scope.js';
export {
  CLOCK_TOLERANCE_SECONDS,
  createTokenService,
  deriveTokenKey,
  InvalidTokenError,
  TOKEN_ALG,
  TOKEN_KEY_INFO,
  type TokenGrant,
  type TokenService,
} from './tokens.js';
