import { ApiError, describeError, parseErrorBody } from "./errors";

describe("API error mapping", () => {
  it("reads the API's error shape", () => {
    const e = parseErrorBody(404, '{"error":{"code":"not_found","message":"session x not found"}}');
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([404, "not_found", "session x not found"]);
  });

  it("survives bodies that are not the API's", () => {
    expect(parseErrorBody(502, "<html>Bad gateway</html>").message).toContain("Bad gateway");
    expect(parseErrorBody(500, "").message).toBe("The server answered 500.");
  });

  it.each([
    [401, "Your sign-in has expired", "Sign in again"],
    [413, "That file is too large", "5 MB"],
    [415, "That file type isn't supported", "PDF"],
    [422, "We couldn't read that file", "PDF"],
    [404, "Not found", "Home"],
    [409, "already ended", "report"],
    [429, "Too many requests", "Wait"],
    [503, "The server had a problem", "try again"],
    [400, "That didn't work", "Check what you entered"],
  ])("%i says what happened and what to do", (status, title, action) => {
    const words = describeError(new ApiError(status, "x", "server words"));
    expect(words.title).toContain(title);
    expect(words.action).toContain(action);
    expect(words.detail).toBe("server words");
  });

  it("asks to sign in again only on 401", () => {
    expect(describeError(new ApiError(401, "unauthorized", "")).signInAgain).toBe(true);
    expect(describeError(new ApiError(403, "forbidden", "")).signInAgain).toBe(false);
  });

  it("explains network failures and plain errors", () => {
    expect(describeError(new ApiError(0, "network", "Failed to fetch")).title).toBe("Can't reach PrepAI");
    expect(describeError(new Error("boom")).detail).toBe("boom");
  });
});
