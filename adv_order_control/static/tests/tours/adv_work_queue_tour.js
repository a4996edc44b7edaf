import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("adv_work_queue_overview_tour", {
    steps: () => [
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
            content: "The ADV app opens on its overview: open the documents to validate",
            trigger: ".o_adv_work_queue_kanban .o_kanban_record:contains('Documents to validate')",
            run: "click",
        },
        {
            content: "The list behind the card shows the received document",
            trigger: ".o_list_view .o_data_row:contains('Tour Queue Customer') button[name='action_validate']",
            run: "click",
        },
        {
            content: "Validated: the document leaves the list of documents to validate",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Queue Customer')))",
        },
        {
            content: "Back to the overview through the breadcrumb",
            trigger: ".o_breadcrumb a:contains('ADV Overview')",
            run: "click",
        },
        {
            content: "The overview is shown again",
            trigger: ".o_adv_work_queue_kanban .o_kanban_record:contains('Documents to validate')",
        },
    ],
});
