/** Who is signed in and their regions: the server's contract (api/src/features/auth/contract.ts). */
export type { AuthUser, Me, Region, Role } from '@contract/auth';
