fn main() {
    kiosque_console::start();
}
