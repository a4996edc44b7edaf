/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("adv_kpi_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "The ADV dashboard is listed in the Dashboards app",
            trigger: ".o_search_panel_category_value[data-name='ADV KPIs']",
            run: "click",
        },
        {
            content: "It is open",
            trigger: ".o_search_panel_category_value.active[data-name='ADV KPIs']",
        },
        {
            content: "Its spreadsheet is displayed with the period filter",
            trigger: ".o_spreadsheet_dashboard_action .o-grid",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-filter-value, .o_spreadsheet_dashboard_action .o_control_panel",
        },
    ],
});
