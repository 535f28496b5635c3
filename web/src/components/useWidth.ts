/** The rendered width of an element in CSS pixels, followed as it changes, so charts can draw at their real size
 * (text stays at a readable pixel size on a phone instead of shrinking with a scaled viewBox). */
import { useEffect, useState, type RefObject } from "react";

export function useWidth(ref: RefObject<Element | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const w = Math.round(element.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
