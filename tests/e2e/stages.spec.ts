// Issue 14, "stages configurable per workspace": a manager edits the demo workspace's pipeline
// stages in Settings — adds one, moves it by keyboard, renames one, marks it committed — and the
// board, a deal's move, the forecast's committed figure, another tab and a reload follow; a stage with deals
// in it is not removed and a duplicate name is refused, each saying why (in Chinese too). At
// tablet width the editor fits the page.
import { expect, test } from "./fixtures";
import { openApp } from "./helpers";

/** "¥1,234,567.89" in minor units. */
const minor = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, "")) * 100);

test("a workspace's own pipeline stages: edited in Settings, followed by the board, a move, the forecast, another tab and a reload", async ({ page, context }, info) => {
  test.skip(info.project.name !== "desktop", "the manager's journey, once at desktop size");
  await openApp(page, "settings");
  // Another tab of the workspace, on the board.
  const other = await context.newPage();
  await openApp(other, "pipeline");
  await expect(other.getByTestId("lane")).toHaveCount(7);
  const card = page.getByTestId("stages-settings");
  const rows = card.getByTestId("stage-row");
  const row = (id: string) => card.locator(`[data-testid="stage-row"][data-stage="${id}"]`);
  const order = () => rows.evaluateAll((rs) => rs.map((r) => r.getAttribute("data-stage")));
  await expect(rows).toHaveCount(7);
  expect(await order()).toEqual(["lead", "qualified", "solution", "quote", "negotiation", "won", "lost"]);
  const inSolution = Number(await row("solution").getByTestId("stage-deals").textContent());
  expect(inSolution, "the demo has deals in every open stage").toBeGreaterThan(1);

  // Added by keyboard: a name, a probability, Enter. It comes after the open stages.
  await card.getByTestId("stages-new-name").fill("Tender");
  await card.getByTestId("stages-new-probability").fill("50");
  await card.getByTestId("stages-new-probability").press("Enter");
  await expect(card.getByTestId("stages-status")).toHaveText("Saved. The board, the forms and the forecast use these stages.");
  expect(await order()).toEqual(["lead", "qualified", "solution", "quote", "negotiation", "tender", "won", "lost"]);
  await expect(card.getByTestId("stages-new-name")).toBeFocused();
  await expect(card.getByTestId("stages-new-name")).toHaveValue("");
  // The other tab's board gains the column without a reload.
  await expect(other.locator('[data-testid="lane"][data-stage="tender"]')).toHaveCount(1);
  await other.close();
  // Moved before negotiation by keyboard; the focus stays on the moved stage's button.
  await row("tender").getByTestId("stage-up").focus();
  await page.keyboard.press("Enter");
  expect(await order()).toEqual(["lead", "qualified", "solution", "quote", "tender", "negotiation", "won", "lost"]);
  await expect(row("tender").getByTestId("stage-up")).toBeFocused();
  // Renamed (the id, which deals store, stays).
  await row("quote").getByTestId("stage-name").fill("Quotation");
  await row("quote").getByTestId("stage-name").press("Tab");
  await expect(row("quote").getByTestId("stage-name")).toHaveValue("Quotation");

  // Refused, with the reason named: a stage with deals in it, a name already used, a bad probability.
  await row("solution").getByTestId("stage-remove").click();
  const error = card.getByTestId("stages-error");
  await expect(error).toHaveText(`Solution / sample: ${inSolution} deals are in this stage: move them to another stage first`);
  await expect(rows).toHaveCount(8);
  await card.getByTestId("stages-new-name").fill("negotiation");
  await card.getByTestId("stages-new-probability").fill("70");
  await card.getByTestId("stages-add-button").click();
  await expect(error).toHaveText("negotiation: another stage has this name");
  await expect(card.getByTestId("stages-new-name")).toHaveValue("negotiation"); // nothing typed is lost
  await row("tender").getByTestId("stage-probability").fill("150");
  await row("tender").getByTestId("stage-probability").press("Tab");
  await expect(error).toHaveText("Tender: the probability must be a whole number from 0 to 100");
  await expect(row("tender").getByTestId("stage-probability")).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(error).toHaveText("Tender：赢率必须是 0 到 100 之间的整数");
  await expect(row("quote").getByTestId("stage-name")).toHaveValue("Quotation");
  await expect(row("lead").getByTestId("stage-name")).toHaveValue("线索");
  await page.getByRole("banner").getByTestId("language").selectOption("en");

  // The board: the stages in their new order, with their names.
  await page.getByRole("link", { name: "Pipeline" }).click();
  const lane = (stage: string) => page.locator(`[data-testid="lane"][data-stage="${stage}"]`);
  await expect(page.getByTestId("lane")).toHaveCount(8);
  expect(await page.getByTestId("lane").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-stage")))).toEqual(
    ["lead", "qualified", "solution", "quote", "tender", "negotiation", "won", "lost"]);
  await expect(lane("quote").getByRole("heading")).toContainText("Quotation");
  await expect(lane("tender").getByRole("heading")).toContainText("Tender");
  await expect(lane("tender").getByTestId("lane-count")).toHaveText("0");

  // A CNY deal with a close date moves into Tender: it takes the stage's probability (50 %).
  const card1 = lane("quote").locator('[data-testid="deal-card"]').filter({ has: page.locator(".deal-amount", { hasText: /^¥/ }) }).filter({ has: page.locator(".deal-close", { hasText: /^\d{4}-\d\d-\d\d · [^—\s]/ }) }).first();
  const id = (await card1.getAttribute("data-id"))!;
  const amount = minor((await card1.locator(".deal-amount").textContent())!.split(" · ")[0]);
  const [date, owner] = (await card1.locator(".deal-close").textContent())!.split(" · ");
  const moving = page.locator(`[data-testid="deal-card"][data-id="${id}"]`);
  await expect(moving.getByTestId("deal-stage").locator("option")).toHaveCount(8);
  await moving.getByTestId("deal-stage").selectOption("tender");
  await moving.getByTestId("deal-move").click();
  await expect(lane("tender").getByTestId("lane-count")).toHaveText("1");
  await expect(lane("tender").getByTestId("lane-weighted")).toHaveText(`weighted ¥${(Math.round(amount / 2) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`);

  // The forecast's committed figure counts Tender once it is marked committed.
  const cell = page.locator(`[data-testid="forecast-cell"][data-month="${date.slice(0, 7)}"][data-key="${owner}"]`);
  const committed = async () => minor((await cell.locator("td").allTextContents())[4]);
  await page.getByTestId("pipeline-forecast-view").click();
  const before = await committed();
  await page.getByRole("link", { name: "Settings" }).click();
  await row("tender").getByTestId("stage-committed").check();
  await expect(card.getByTestId("stages-status")).toHaveText("Saved. The board, the forms and the forecast use these stages.");
  await page.goBack();
  await expect.poll(committed).toBe(before + amount);

  // After a reload: the same stages, the deal still in Tender, its form offering them.
  await openApp(page, "pipeline");
  await expect(page.getByTestId("lane")).toHaveCount(8);
  await expect(lane("tender").locator(`[data-testid="deal-card"][data-id="${id}"]`)).toHaveCount(1);
  await lane("tender").locator(".deal-title").first().click();
  await expect(page.locator("#f-stage")).toHaveValue("tender");
  await expect(page.locator("#f-stage option:checked")).toHaveText("Tender");
  await openApp(page, "settings");
  expect(await order()).toEqual(["lead", "qualified", "solution", "quote", "tender", "negotiation", "won", "lost"]);
  await expect(row("tender").getByTestId("stage-committed")).toBeChecked();
  await expect(row("tender").getByTestId("stage-deals")).toHaveText("1");
});

test("at tablet width the stages editor fits the screen and works by touch", async ({ page }, info) => {
  test.skip(info.project.name !== "tablet", "768 px, touch");
  await openApp(page, "settings");
  const card = page.getByTestId("stages-settings");
  await card.scrollIntoViewIfNeeded();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "no sideways scrolling of the page").toBeLessThanOrEqual(0);
  const row = (id: string) => card.locator(`[data-testid="stage-row"][data-stage="${id}"]`);
  await row("quote").getByTestId("stage-down").tap();
  expect(await card.getByTestId("stage-row").evaluateAll((rs) => rs.map((r) => r.getAttribute("data-stage")))).toEqual(
    ["lead", "qualified", "solution", "negotiation", "quote", "won", "lost"]);
  for (const name of ["stage-up", "stage-down", "stage-remove"]) {
    const box = (await row("qualified").getByTestId(name).boundingBox())!;
    expect(box.height, `${name} is big enough to tap`).toBeGreaterThanOrEqual(40);
  }
});
