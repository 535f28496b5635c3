import { render } from "@testing-library/react";
import { RadarChart, radarGeometry } from "./RadarChart";
import { TrendChart } from "./TrendChart";

const axes = ["Technical", "Problem solving", "Communication", "Code quality", "Cultural fit"].map((label, i) => ({ label, value: i === 4 ? null : 2 * i }));

describe("charts", () => {
  it("draw at their real width, so every label is 12 px on a phone as on a desktop", () => {
    for (const width of [300, 343, 460]) {
      const { container, unmount } = render(<RadarChart title="Scores" axes={axes} width={width} />);
      const svg = container.querySelector("svg")!;
      expect(Number(svg.getAttribute("width"))).toBe(radarGeometry(width).width);
      expect(svg.getAttribute("viewBox")).toBe(`0 0 ${svg.getAttribute("width")} ${svg.getAttribute("height")}`);
      for (const text of container.querySelectorAll("text")) expect(Number(text.getAttribute("font-size"))).toBeGreaterThanOrEqual(11);
      unmount();
    }
    expect(radarGeometry(320).wrap).toBe(true);
    expect(radarGeometry(460).wrap).toBe(false);
  });

  it("draw one line per series with a legend, standalone colours and dates", () => {
    const { container } = render(
      <TrendChart
        title="Scores"
        width={343}
        series={[
          { name: "Coding", points: [{ label: "Jan 1", value: 4, time: 0 }, { label: "Jan 3", value: 6, time: 2 }] },
          { name: "Behavioral", points: [{ label: "Jan 2", value: 7, time: 1 }] },
        ]}
      />,
    );
    expect(container.querySelectorAll("path")).toHaveLength(2);
    expect(container.textContent).toContain("Behavioral");
    for (const text of container.querySelectorAll("text")) expect(Number(text.getAttribute("font-size"))).toBeGreaterThanOrEqual(11);
    expect(container.querySelector("path")!.getAttribute("stroke")).toMatch(/^#/);
  });
});
