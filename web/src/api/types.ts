export type Role = 'staff' | 'deputy' | 'admin' | 'liaison';

export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | string;
  parent_code: string | null;
}

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionCodes: string[];
  /** An admin set the password (new user, reset): the change page comes before anything else. */
  mustChangePassword: boolean;
}

export interface Me {
  user: AuthUser;
  regions: Region[];
}
