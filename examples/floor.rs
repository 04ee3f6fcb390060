//! The floor of the window's costs: a bare eframe window (same renderer, same options, same font) with one
//! multi-line text field and nothing else. `scripts/measure-window.sh` measures it exactly like the app, so
//! `BENCHMARKS.md` can say how much of a figure is eframe/egui/glow's own and how much is the app's.

/// One text field in a central panel.
struct Floor {
    text: String,
}

impl eframe::App for Floor {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if std::env::var_os("NIANBAO_COUNT_FRAMES").is_some() {
            eprintln!(
                "frame {} pass {}",
                ui.ctx().cumulative_frame_nr(),
                ui.ctx().cumulative_pass_nr()
            );
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let size = ui.available_size();
            ui.add_sized(size, egui::TextEdit::multiline(&mut self.text));
        });
    }
}

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("floor")
            .with_inner_size([1280.0, 860.0]),
        ..Default::default()
    };
    eframe::run_native(
        "floor",
        options,
        Box::new(|cc| {
            nianbao::ui::fonts::install_fonts(&cc.egui_ctx);
            Ok(Box::new(Floor {
                text: "一、总体情况\n".to_string(),
            }))
        }),
    )
}
