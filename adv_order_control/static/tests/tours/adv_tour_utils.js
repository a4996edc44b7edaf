/** Steps shared by the ADV tours (imported by the other ADV modules' tours, never a tour itself). */

/** Open the ADV app from the apps menu: it opens on its overview. */
export function openAdvOverview() {
    return [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the ADV app",
            trigger: ".o_app[data-menu-xmlid='adv_order_control.menu_adv_root']",
            run: "click",
        },
        {
            content: "The ADV app opens on its overview",
            trigger: ".o_adv_work_queue_kanban .o_kanban_record",
        },
    ];
}

/** Click the overview card named ``name`` (its title), which opens the list behind it. */
export function openCard(name) {
    return [
        {
            content: `Open the card "${name}"`,
            trigger: `.o_adv_work_queue_kanban .o_kanban_record:contains('${name}')`,
            run: "click",
        },
        {
            content: `The list behind "${name}" is open`,
            trigger: `.o_breadcrumb .active:contains('${name}')`,
        },
    ];
}

/** Back to the overview through the breadcrumb. */
export function backToOverview() {
    return [
        {
            content: "Back to the overview through the breadcrumb",
            trigger: ".o_breadcrumb a:contains('ADV Overview')",
            run: "click",
        },
        {
            content: "The overview is shown again",
            trigger: ".o_adv_work_queue_kanban .o_kanban_record",
        },
    ];
}

/** Click the list row that contains ``text``: opens its record. */
export function openRow(text) {
    return {
        content: `Open the row of ${text}`,
        trigger: `.o_list_view .o_data_row:contains('${text}') td.o_data_cell`,
        run: "click",
    };
}

/**
 * A step that fails unless every chart canvas under ``scope`` fits its frame: the canvas is not wider
 * than its parent, and does not reach past the right edge of ``frame`` (the view's visible area).
 */
export function chartsFit(scope, frame, content) {
    return {
        content,
        trigger: `${scope} canvas`,
        run() {
            const canvases = document.querySelectorAll(`${scope} canvas`);
            for (const canvas of canvases) {
                const box = canvas.getBoundingClientRect();
                const parent = canvas.parentElement.getBoundingClientRect();
                const view = (canvas.closest(frame) || document.querySelector(frame)).getBoundingClientRect();
                if (box.width > parent.width + 1 || box.right > view.right + 1) {
                    throw new Error(
                        `Chart overflows its frame: canvas ${box.width}px wide, right edge at ${box.right}px; ` +
                            `parent ${parent.width}px wide; ${frame} right edge at ${view.right}px`
                    );
                }
            }
            console.info(`${canvases.length} chart(s) fit their frame in ${scope}`);
        },
    };
}
