/** Client-side routes over the History API (the server answers index.html for any non-API path). */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";

export type Route =
  | { name: "home" }
  | { name: "cv"; sessionId: string }
  | { name: "interview"; sessionId: string }
  | { name: "report"; sessionId: string }
  | { name: "progress" }
  | { name: "callback" }
  | { name: "notFound" };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { name: "home" };
  if (pathname === "/progress") return { name: "progress" };
  if (pathname === "/auth/callback") return { name: "callback" };
  const match = /^\/sessions\/([0-9a-fA-F-]{36})\/(cv|interview|report)$/.exec(pathname);
  if (match) return { name: match[2] as "cv" | "interview" | "report", sessionId: match[1]! };
  return { name: "notFound" };
}

export const paths = {
  home: () => "/",
  progress: () => "/progress",
  cv: (sessionId: string) => `/sessions/${sessionId}/cv`,
  interview: (sessionId: string) => `/sessions/${sessionId}/interview`,
  report: (sessionId: string) => `/sessions/${sessionId}/report`,
};

const CHANGE = "prepai:navigate";

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo?.(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** An anchor that navigates without reloading (and still opens in a new tab with a modifier key). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
