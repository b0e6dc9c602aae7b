// Issue 15, item 5, end to end on the demo workspace: the team's scorecard shows every rep side
// by side with the team; each figure opens exactly the records it counts; "Mine" keeps the
// user's own row and the team's; a task ticked done in My day moves the rep's "tasks on time" by
// one; another period changes the figures; Chinese; axe-core finds nothing serious; at 768 px the
// table scrolls inside itself.
import { expect, test } from "./fixtures";
import { axe, openApp, setMyName } from "./helpers";

test("demo: the team side by side, each figure opens its records, Mine, a task done today counts, Chinese, axe", async ({ page }, info) => {
  test.skip(info.project.name === "tablet-landscape", "desktop and tablet portrait");
  await setMyName(page, "王磊");
  await openApp(page, "team");
  const rows = page.getByTestId("team-row");
  expect(await rows.count()).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId("team-row-total")).toHaveCount(1);
  const mine = page.locator('[data-testid="team-row"][data-rep="王磊"]');
  await expect(mine).toHaveAttribute("aria-current", "true");

  // Each figure opens exactly the records it counts.
  for (const fig of ["fig-visits", "fig-accounts", "fig-new"]) {
    const n = Number((await mine.getByTestId(fig).innerText()).trim());
    await mine.getByTestId(fig).click();
    await expect(page.getByTestId("team-records").getByRole("heading")).toContainText(`(${n})`);
    await expect(page.getByTestId("team-record")).toHaveCount(Math.min(n, 200));
  }
  // Revenue: the orders behind it, each a link to its customer.
  await mine.getByTestId("fig-revenue").click();
  await expect(page).toHaveURL(/rep=%E7%8E%8B%E7%A3%8A&show=revenue|show=revenue.*rep=/);
  const orders = page.getByTestId("team-record");
  expect(await orders.count()).toBeGreaterThan(0);
  await expect(orders.first().getByRole("link")).toHaveAttribute("href", /\/crm\/customers\//);
  await axe(page, "the team scorecard");

  // "Mine": my row and the team's.
  await page.getByTestId("team-mine").click();
  await expect(page.getByTestId("team-row")).toHaveCount(1);
  await expect(page.getByTestId("team-mine")).toHaveAttribute("aria-current", "true");

  // A task due today ticked done in My day: counted now (due and on time); open, it still had the day.
  const tasks = async () => {
    await openApp(page, "team?mine=1");
    const text = (await page.locator('[data-testid="team-row"][data-rep="王磊"]').getByTestId("fig-tasks").innerText()).trim();
    const m = text.match(/^(\d+) \/ (\d+)/);
    expect(m, text).not.toBeNull();
    return [Number(m![1]), Number(m![2])];
  };
  const [onTime, due] = await tasks();
  await openApp(page, "service");
  const today = page.getByTestId("tasks-today").getByTestId("my-task").first();
  const title = (await today.locator("a").first().innerText()).trim();
  await today.getByTestId("task-done").click();
  await expect(page.getByTestId("task-status")).toHaveText(`Done: ${title}`);
  expect(await tasks()).toEqual([onTime + 1, due + 1]);

  // Another period: last year's figures are others (and the URL keeps it).
  await page.getByTestId("team-period").selectOption({ index: 5 });
  await expect(page).toHaveURL(/period=\d{4}(&|$)/);
  await expect(page.getByTestId("team-row")).toHaveCount(1);

  // Chinese; at 768 px nothing is wider than the screen but the table's own box.
  await page.getByRole("banner").getByTestId("language").selectOption("zh-Hans");
  await expect(page.getByRole("heading", { name: "团队销售考核" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "按时完成任务" })).toBeVisible();
  if (info.project.name === "tablet") {
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
  }
  await page.getByRole("banner").getByTestId("language").selectOption("en");
});
