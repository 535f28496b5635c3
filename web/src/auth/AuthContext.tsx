/** Who is signed in, how sign-in works here, and sign-out — for every page. */
import { createContext, useContext } from "react";
import type { AuthConfig } from "./config";
import type { Claims } from "./token";

export interface Auth {
  config: AuthConfig;
  token: string;
  claims: Claims | null;
  admin: boolean;
  signOut: () => void;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside a signed-in page");
  return auth;
}
