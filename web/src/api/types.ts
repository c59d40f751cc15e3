export type Role = 'staff' | 'deputy' | 'admin';

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
}

export interface Me {
  user: AuthUser;
  regions: Region[];
}
