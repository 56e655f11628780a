fn main() {
    kiosque::mount_all();
}
